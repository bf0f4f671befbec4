"""Tests that drive the Wagtail admin in a real browser: Debian's Chromium through Playwright."""
