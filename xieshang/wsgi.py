import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse here to serve with the public demo secret key.
from xieshang.core.crypto import demo_key_refusal  # noqa: E402

if demo_key_refusal():
    raise ImproperlyConfigured(demo_key_refusal())

# Pay the lazy imports before the first request (see xieshang/core/warmup.py).
if os.environ.get("XIESHANG_WARMUP", "1") != "0":
    from xieshang.core.warmup import warm

    warm()
