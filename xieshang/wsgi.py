import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
application = get_wsgi_application()

# Pay the lazy imports before the first request (see xieshang/core/warmup.py).
if os.environ.get("XIESHANG_WARMUP", "1") != "0":
    from xieshang.core.warmup import warm

    warm()
