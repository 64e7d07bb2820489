from i18n_pipeline.cli import main

main()
