"""The command line in-process: exit codes and exact error lines."""

from __future__ import annotations

from click.testing import CliRunner

from i18n_pipeline.cli import main


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_unknown_language_in_config(project):
    text = (project / "config.yaml").read_text()
    (project / "config.yaml").write_text(text.replace("code: fr", "code: xx"))
    result = run_cli("ingest")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "config.yaml:5: languages[1].code: unknown language 'xx'"
    ]
    assert "Traceback" not in result.output


def test_malformed_config(project):
    (project / "config.yaml").write_text("languages: [de, fr\nsources: articles\n")
    result = run_cli("run")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("config.yaml:2: malformed YAML: ")


def test_missing_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("sync")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "config.yaml: no such file; run 'i18n-pipeline init' to create one"
    )


def test_init_creates_a_project(tmp_path):
    target = tmp_path / "new"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "config.yaml").is_file()
    assert (target / "articles").is_dir()
    assert (target / "locales" / "templates").is_dir()
    assert (target / ".i18n" / "index.db").is_file()
    again = run_cli("init", str(target))
    assert "already initialised" in again.output


def test_report_unknown_language(project):
    run_cli("run")
    result = run_cli("report", "--lang", "es")
    assert result.exit_code == 2
    assert "language 'es' is not configured" in result.output


def test_db_commands(project):
    from i18n_pipeline.store.db import HEAD

    assert f"database at revision {HEAD}" in run_cli("db", "upgrade").output
    assert f"current: {HEAD}" in run_cli("db", "current").output
    assert "database at revision base" in run_cli("db", "downgrade", "base").output
    assert "current: base" in run_cli("db", "current").output


def test_usage_error_exit_code(project):
    result = run_cli("report", "--format", "pdf")
    assert result.exit_code == 2
