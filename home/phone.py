"""North American phone numbers: stored in E.164 (+18435550100), shown as (843) 555-0100."""

import re


def normalise_phone(raw):
    """Return the number in E.164 form, or "" when it is not a ten-digit North American number."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return ""
    return f"+1{digits}"


def format_phone(e164):
    """(843) 555-0100 for +18435550100; "" for anything else."""
    if not e164 or not e164.startswith("+1") or len(e164) != 12:
        return ""
    digits = e164[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
