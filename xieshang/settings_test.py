"""Settings for the test suite: the real database, fast password hashing, tasks run inline."""

from xieshang.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    # FileSystemStorage that answers a full disk with a clear message (core/storage.py).
    "default": {"BACKEND": "xieshang.core.storage.UploadStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The suite runs as a demo install (the demo secret key, derived field and audit keys).
XIESHANG_DEMO = True
# No checkpoint file after each test's first audited change (tests/security writes its own).
XIESHANG_AUDIT_CHECKPOINTS = False
# Figures are not computed ahead on every save (the immediate task backend would run it inline);
# tests/reports/test_precompute.py turns it on where it is the subject.
REPORTS_PRECOMPUTE = False
