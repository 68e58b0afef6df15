"""Project code of the multilingual customer-service bot (everything that is not a Rasa action)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
