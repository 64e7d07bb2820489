"""i18n-pipeline: translation tracking for articles published in many languages."""

__version__ = "0.1.0"
