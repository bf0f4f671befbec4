import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' if it does not exist. The password comes from "
        "DJANGO_SUPERUSER_PASSWORD, or is generated and printed once."
    )

    def handle(self, *args, **options):
        user_model = get_user_model()
        if user_model.objects.filter(username="admin").exists():
            self.stdout.write("Admin account 'admin' already exists.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser("admin", "admin@example.com", password)
        if generated:
            self.stdout.write(f"Created admin account: username 'admin', password '{password}' (shown only once).")
        else:
            self.stdout.write("Created admin account 'admin' with the password from DJANGO_SUPERUSER_PASSWORD.")
