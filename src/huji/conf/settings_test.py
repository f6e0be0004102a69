"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ["HUJI_ENV"] = "test"
os.environ.setdefault("HUJI_DATA_DIR", os.path.join(os.getcwd(), ".cache", "test-var"))

from huji.conf.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["default"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.InMemoryStorage",
}
