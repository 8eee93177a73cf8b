"""Settings: data/config/*.yaml as frozen, checked values."""
