"""The exceptions the stand-in raises, named as Odoo 18 names them on the wire.

Odoo puts the exception's qualified class name in `error.data.name`; clients classify on that
string, so each class here carries the exact name a real server would send.
"""


class OdooException(Exception):
    """An error that goes back to the caller as Odoo's `{"error": {...}}` object."""

    odoo_name = "odoo.exceptions.UserError"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class UserError(OdooException):
    odoo_name = "odoo.exceptions.UserError"


class AccessError(OdooException):
    odoo_name = "odoo.exceptions.AccessError"


class AccessDenied(OdooException):
    odoo_name = "odoo.exceptions.AccessDenied"

    def __init__(self, message="Access Denied"):
        super().__init__(message)


class MissingError(OdooException):
    odoo_name = "odoo.exceptions.MissingError"


class ValidationError(OdooException):
    odoo_name = "odoo.exceptions.ValidationError"


class ValueErrorOdoo(OdooException):
    # Odoo lets Python's own ValueError escape the ORM (`Invalid field ...`), so the name is builtins'.
    odoo_name = "builtins.ValueError"


class KeyErrorOdoo(OdooException):
    odoo_name = "builtins.KeyError"


class AttributeErrorOdoo(OdooException):
    odoo_name = "builtins.AttributeError"


class TypeErrorOdoo(OdooException):
    odoo_name = "builtins.TypeError"


class OperationalError(OdooException):
    # What Odoo sends when the database named in the call does not exist: the registry cannot open it.
    odoo_name = "psycopg2.OperationalError"


def invalid_field(field, model):
    """Odoo 18's `create()`/`read()` message for a key that is no field of the model."""
    return ValueErrorOdoo(f"Invalid field {field!r} on model {model!r}")


def access_error(operation, description, model, group="Point of Sale/User"):
    """Odoo 18's ACL message, e.g. operation 'read' -> "You are not allowed to access ..."."""
    verb = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}[operation]
    return AccessError(
        f"You are not allowed to {verb} '{description}' ({model}) records.\n\n"
        f"This operation is allowed for the following groups:\n\t- {group}\n\n"
        "Contact your administrator to request access if necessary.")
