import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")
# Web requests give up on a PostgreSQL statement stuck behind a held lock after 10 s, and answer;
# management commands (migrations) have no such limit unless the environment sets one.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "10")

application = get_wsgi_application()
