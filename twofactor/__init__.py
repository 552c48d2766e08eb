"""Two-factor sign-in: time-based codes, passkeys and recovery codes (django-otp)."""
