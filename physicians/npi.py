"""The National Provider Identifier's check digit (CMS: the Luhn formula over "80840" and the first nine digits)."""

from django.core.exceptions import ValidationError

# The prefix for US health identifiers (ISO 7812 issuer 80840) that the NPI's check digit includes.
NPI_PREFIX = "80840"


def luhn_check_digit(digits):
    """The digit that makes `digits` + it pass the Luhn check."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 0:  # every second digit from the right, starting with the rightmost
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return str((10 - total % 10) % 10)


def is_valid_npi(npi):
    return len(npi) == 10 and npi.isascii() and npi.isdigit() and luhn_check_digit(NPI_PREFIX + npi[:9]) == npi[9]


def validate_npi(value):
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        raise ValidationError("An NPI is 10 digits, with no spaces or dashes, e.g. 1234567893.")
    if not is_valid_npi(value):
        raise ValidationError(
            "This NPI's last digit does not match the others (the NPI check digit): "
            "check it against the NPPES registry."
        )
