"""Django's own messages that its Vietnamese catalogue does not translate (its msgid changed and
the catalogue still has the old one). Named here so that `make messages` keeps them in ours,
which is consulted first; never imported for anything else.
"""

from django.utils.translation import ngettext_lazy

DJANGO_MESSAGES = [
    # django.contrib.auth.password_validation.MinimumLengthValidator (Django 5.2)
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 1),
]
