"""Checks a library can make, shared by the form (as the user types) and the server.

Each returns the normalized value or raises ValueError with a message a person can read.
The libraries load on first use, off the app's start-up path.
"""

from __future__ import annotations


def normalize_email(value: str) -> str:
    """The address in its normal form; syntax only, never a network lookup."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        reason = str(exc)
        if "'" in reason or '"' in reason or len(reason) > 80:  # it would quote the input
            reason = "This email address has characters or parts that are not allowed."
        raise ValueError(reason) from exc


def normalize_phone(value: str, region: str) -> str:
    """The number in E.164 (+13125550148); a number without a country code is read in `region`."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("This is not a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("This phone number is not valid.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_phone(e164: str) -> str:
    """An E.164 number as its own country writes it: (312) 555-0148."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
