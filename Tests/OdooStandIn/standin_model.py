"""What the stand-in knows of the pos.order model: its stored fields (read from the real table, so the
schema in odoo18.sql stays the one source), the many2one targets and how Odoo renders values.
"""

import datetime
import decimal

# many2one column -> (target table, SQL for the target's display name). jsonb names are Odoo's
# translated Char: en_US is what an English-language user sees.
MANY2ONE = {
    "pos_order": {
        "user_id": ("res_users", "(SELECT p.name FROM res_partner p WHERE p.id = {t}.partner_id)"),
        "company_id": ("res_company", "{t}.name"),
        "pricelist_id": ("product_pricelist", "{t}.name->>'en_US'"),
        "partner_id": ("res_partner", "{t}.complete_name"),
        "session_id": ("pos_session", "{t}.name"),
        "config_id": ("pos_config", "{t}.name"),
        "account_move": ("account_move", "{t}.name"),
        "procurement_group_id": ("procurement_group", "{t}.name"),
        "sale_journal": ("account_journal", "{t}.name->>'en_US'"),
        "fiscal_position_id": ("account_fiscal_position", "{t}.name->>'en_US'"),
        "create_uid": ("res_users", "(SELECT p.name FROM res_partner p WHERE p.id = {t}.partner_id)"),
        "write_uid": ("res_users", "(SELECT p.name FROM res_partner p WHERE p.id = {t}.partner_id)"),
    },
}

# Fields pos.order has in Odoo 18 that are not columns (computed, related, one2many): accepted in
# `fields` and in create values (ignored there, as Odoo ignores a computed field without inverse),
# never an "Invalid field".
NON_STORED = {
    "pos_order": {"lines", "payment_ids", "tracking_number", "currency_id", "picking_type_id",
                  "session_move_id", "country_code", "order_edit_tracking", "margin", "margin_percent",
                  "is_total_cost_computed", "is_invoiced", "is_edited", "picking_ids", "picking_count",
                  "failed_pickings", "refunded_order_id", "refund_orders_count", "has_refundable_lines",
                  "display_name"},
    "pos_order_line": {"tax_ids", "tax_ids_after_fiscal_position", "attribute_value_ids",
                       "custom_attribute_value_ids", "pack_lot_ids", "combo_line_ids",
                       "refund_orderline_ids", "currency_id", "product_uom_id", "margin",
                       "margin_percent", "refunded_qty"},
    "pos_payment": {"currency_id", "currency_rate", "partner_id", "user_id", "payment_method_type"},
}

MODEL_OF_TABLE = {"pos_order": "pos.order", "pos_order_line": "pos.order.line", "pos_payment": "pos.payment"}


class TableInfo:
    """The columns of one table as PostgreSQL has them (name -> data_type), read once at start."""

    def __init__(self, cursor, table):
        cursor.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position", (table,))
        self.table = table
        self.model = MODEL_OF_TABLE.get(table, table.replace("_", "."))
        self.columns = dict(cursor.fetchall())
        self.many2one = MANY2ONE.get(table, {})
        self.non_stored = NON_STORED.get(table, set())

    def is_field(self, name):
        return name in self.columns or name in self.non_stored

    def looks_relational(self, column):
        # Tables without a MANY2ONE map (lines, payments) name their many2one columns *_id or *_uid.
        return self.columns.get(column) == "integer" and (column.endswith("_id") or column.endswith("_uid"))

    def empty_value(self, column):
        """Odoo's value for a NULL: 0 for numbers, False for everything else (m2o, char, date)."""
        kind = self.columns.get(column)
        if column in self.many2one or column == "id" or self.looks_relational(column):
            return False
        if kind == "integer":
            return 0
        if kind in ("numeric", "double precision"):
            return 0.0
        return False


def odoo_value(value):
    """A PostgreSQL value as Odoo's JSON-RPC renders it (naive UTC timestamps as 'YYYY-MM-DD HH:MM:SS')."""
    if value is None:
        return False
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return value
