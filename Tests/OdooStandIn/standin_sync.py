"""pos.order.sync_from_ui as Odoo 18 does it (ODOO18.md §sync_from_ui), on the real tables.

Every column a row needs is set here, because odoo18.sql has no DEFAULTs (Odoo applies its defaults
in Python); a missing one would fail on NOT NULL exactly where a careless SQL writer would.
All orders of one call share one transaction, as one Odoo request does: an error rolls them all back.
"""

import datetime
import uuid as uuidlib

from standin_errors import MissingError, UserError, ValueErrorOdoo, invalid_field
from standin_model import odoo_value

CLOSED = ("closing_control", "closed")
PAID_STATES = ("paid", "done", "invoiced")
# Keys of the payload that name fields Odoo fills itself: accepted, then overwritten.
DERIVED = {"config_id", "sale_journal", "email", "mobile", "currency_rate", "create_uid", "write_uid",
           "create_date", "write_date", "amount_paid"}


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


class Sync:
    def __init__(self, cursor, tables, uid, early):
        self.cur, self.tables, self.uid, self.early = cursor, tables, uid, early

    def run(self, orders):
        if not isinstance(orders, list):
            raise ValueErrorOdoo("sync_from_ui expects a list of orders")
        ids = []
        for order in orders:
            if not isinstance(order, dict):
                raise ValueErrorOdoo(f"an order must be a dict, not {type(order).__name__}")
            order_id = self.process(dict(order))
            if order_id is not None:
                ids.append(order_id)
        return self.read_pos_data(ids)

    # -- one order ------------------------------------------------------------------------------
    def process(self, order):
        order.pop("id", None)  # the till's local id; Odoo drops it from create values
        existing = None
        if order.get("uuid"):
            self.cur.execute("SELECT id, state FROM pos_order WHERE uuid = %s ORDER BY id LIMIT 1", (order["uuid"],))
            existing = self.cur.fetchone()
        if existing and existing[1] != "draft":
            # Already paid or done: left as it is. Early 18.0 returns nothing for it.
            return None if self.early else existing[0]
        session = self.valid_session(order.get("session_id"))
        order["session_id"] = session["id"]
        if existing:
            self.update(existing[0], order, session)
            return existing[0]
        return self.create(order, session)

    def valid_session(self, session_id):
        if not isinstance(session_id, int) or isinstance(session_id, bool):
            raise ValueErrorOdoo(f"session_id must be an integer, not {session_id!r}")
        session = self.session(session_id)
        if session is None:
            raise MissingError("Record does not exist or has been deleted.\n"
                               f"(Record: pos.session({session_id},), User: {self.uid})")
        if session["state"] not in CLOSED:
            return session
        self.cur.execute("SELECT id FROM pos_session WHERE state NOT IN %s AND config_id = %s ORDER BY id LIMIT 1",
                         (CLOSED, session["config_id"]))
        row = self.cur.fetchone()
        if row is None:
            raise UserError("No open session available. Please open a new session to capture the order.")
        return self.session(row[0])

    def session(self, session_id):
        self.cur.execute("""SELECT s.id, s.state, s.config_id, c.company_id, c.pricelist_id,
                                   c.default_fiscal_position_id, c.journal_id, c.sequence_id, c.sequence_line_id
                            FROM pos_session s JOIN pos_config c ON c.id = s.config_id WHERE s.id = %s""",
                         (session_id,))
        row = self.cur.fetchone()
        if row is None:
            return None
        keys = ("id", "state", "config_id", "company_id", "pricelist_id", "fiscal_position_id", "journal_id",
                "sequence_id", "sequence_line_id")
        return dict(zip(keys, row))

    def split(self, values, info):
        """(columns, commands) of one create/write dict; an unknown key is Odoo's ValueError."""
        columns, relations = {}, {}
        for key, value in values.items():
            if not info.is_field(key):
                raise invalid_field(key, info.model)
            if key in info.columns:
                columns[key] = value if value is not False or info.columns[key] == "boolean" else None
            else:
                relations[key] = value
        return columns, relations

    def create(self, order, session):
        info = self.tables["pos_order"]
        name = order.pop("name", None)
        columns, relations = self.split(order, info)
        stamp = now()
        columns["pos_reference"] = name
        state = columns.get("state") or "draft"
        defaults = {
            "state": state, "company_id": session["company_id"], "pricelist_id": session["pricelist_id"],
            "fiscal_position_id": session["fiscal_position_id"], "user_id": self.uid, "sequence_number": 1,
            "nb_print": 0, "date_order": stamp, "uuid": str(uuidlib.uuid4()),
            "amount_tax": 0, "amount_total": 0, "amount_return": 0,
        }
        for key, value in defaults.items():
            if columns.get(key) is None:
                columns[key] = value
        columns.update({
            "name": self.next_name(session["sequence_id"]) if state in PAID_STATES else "/",
            "config_id": session["config_id"], "sale_journal": session["journal_id"], "currency_rate": 1.0,
            "amount_paid": 0, "create_uid": self.uid, "write_uid": self.uid,
            "create_date": stamp, "write_date": stamp,
        })
        self.fill_partner(columns)
        order_id = self.insert("pos_order", columns)
        self.apply_children(order_id, relations, session, columns)
        self.settle(order_id, columns, session, bool(relations.get("lines")))
        return order_id

    def update(self, order_id, order, session):
        info = self.tables["pos_order"]
        name = order.pop("name", None)
        columns, relations = self.split(order, info)
        for key in DERIVED:
            columns.pop(key, None)
        columns.update({"pos_reference": name, "write_uid": self.uid, "write_date": now(),
                        "config_id": session["config_id"]})
        if columns.get("state") in PAID_STATES:
            self.cur.execute("SELECT name FROM pos_order WHERE id = %s", (order_id,))
            if self.cur.fetchone()[0] == "/":
                columns["name"] = self.next_name(session["sequence_id"])
        self.fill_partner(columns)
        sets = ", ".join(f'"{k}" = %s' for k in columns)
        self.cur.execute(f"UPDATE pos_order SET {sets} WHERE id = %s", list(columns.values()) + [order_id])
        self.cur.execute("SELECT * FROM pos_order WHERE id = %s", (order_id,))
        current = dict(zip([d.name for d in self.cur.description], self.cur.fetchone()))
        self.apply_children(order_id, relations, session, current)
        self.settle(order_id, current, session, bool(relations.get("lines")))

    def fill_partner(self, columns):
        partner = columns.get("partner_id")
        if partner:
            self.cur.execute("SELECT email, mobile FROM res_partner WHERE id = %s", (partner,))
            row = self.cur.fetchone()
            if row:
                columns["email"], columns["mobile"] = row

    def next_name(self, sequence_id):
        """ir.sequence 'standard': a PostgreSQL sequence ir_sequence_%03d, prefix and padding from the row."""
        if sequence_id is None:
            return "/"
        self.cur.execute("SELECT prefix, suffix, padding FROM ir_sequence WHERE id = %s", (sequence_id,))
        prefix, suffix, padding = self.cur.fetchone()
        self.cur.execute("SELECT nextval(%s)", (f"ir_sequence_{sequence_id:03d}",))
        return f"{prefix or ''}{str(self.cur.fetchone()[0]).zfill(padding)}{suffix or ''}"

    def insert(self, table, columns):
        names = ", ".join(f'"{k}"' for k in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.cur.execute(f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", list(columns.values()))
        return self.cur.fetchone()[0]

    # -- lines and payments ---------------------------------------------------------------------
    def apply_children(self, order_id, relations, session, order):
        for key, value in relations.items():
            if key == "lines":
                self.commands(value, "pos_order_line", "order_id", order_id,
                              lambda vals: self.create_line(order_id, vals, session, order))
            elif key == "payment_ids":
                self.commands(value, "pos_payment", "pos_order_id", order_id,
                              lambda vals: self.create_payment(order_id, vals, order))
            # other non-stored fields (tracking_number, ...) are computed by Odoo: ignored, as there

    def commands(self, value, table, fk, parent_id, create):
        if value in (False, None):
            return
        if not isinstance(value, list):
            raise ValueErrorOdoo(f"Wrong value for {table.replace('_', '.')}: {value!r}")
        info = self.tables[table]
        for command in value:
            if not isinstance(command, (list, tuple)) or not command:
                raise ValueErrorOdoo(f"Invalid x2many command {command!r}")
            code = command[0]
            if code == 0:
                create(dict(command[2]))
            elif code == 1:
                columns, _ = self.split(dict(command[2]), info)
                columns.pop(fk, None)
                if columns:
                    sets = ", ".join(f'"{k}" = %s' for k in columns)
                    self.cur.execute(f'UPDATE {table} SET {sets} WHERE id = %s AND "{fk}" = %s',
                                     list(columns.values()) + [command[1], parent_id])
            elif code in (2, 3):
                self.cur.execute(f'DELETE FROM {table} WHERE id = %s AND "{fk}" = %s', (command[1], parent_id))
            elif code == 5:
                self.cur.execute(f'DELETE FROM {table} WHERE "{fk}" = %s', (parent_id,))
            else:
                raise ValueErrorOdoo(f"Unsupported x2many command {list(command)!r}")

    def create_line(self, order_id, vals, session, order):
        info = self.tables["pos_order_line"]
        vals.pop("id", None)
        vals.pop("order_id", None)  # the inverse of `lines`: Odoo sets it to the new order
        columns, relations = self.split(vals, info)
        if not columns.get("product_id"):
            raise ValueErrorOdoo("pos.order.line needs a product_id")
        qty = float(columns.get("qty") or 0) if columns.get("qty") is not None else 1.0
        price = float(columns.get("price_unit") or 0)
        discount = float(columns.get("discount") or 0)
        subtotal = round(qty * price * (1 - discount / 100.0), 2)
        stamp = now()
        defaults = {"qty": qty, "price_unit": price, "discount": discount, "price_type": "original",
                    "price_subtotal": subtotal, "price_subtotal_incl": subtotal, "uuid": str(uuidlib.uuid4()),
                    "skip_change": False, "is_edited": False, "is_total_cost_computed": False, "price_extra": 0.0}
        for key, value in defaults.items():
            if columns.get(key) is None:
                columns[key] = value
        columns.update({"order_id": order_id, "company_id": order.get("company_id") or session["company_id"],
                        "name": self.next_name(session["sequence_line_id"]),
                        "create_uid": self.uid, "write_uid": self.uid, "create_date": stamp, "write_date": stamp})
        line_id = self.insert("pos_order_line", columns)
        for command in relations.get("tax_ids") or []:
            tax_ids = []
            if command[0] == 4:
                tax_ids = [command[1]]
            elif command[0] == 6:
                tax_ids = list(command[2])
            for tax in tax_ids:
                self.cur.execute("INSERT INTO account_tax_pos_order_line_rel (pos_order_line_id, account_tax_id) "
                                 "VALUES (%s, %s) ON CONFLICT DO NOTHING", (line_id, tax))
        for command in relations.get("pack_lot_ids") or []:
            if command[0] == 0:
                self.cur.execute("INSERT INTO pos_pack_operation_lot (pos_order_line_id, lot_name, create_uid, "
                                 "write_uid, create_date, write_date) VALUES (%s, %s, %s, %s, %s, %s)",
                                 (line_id, command[2].get("lot_name"), self.uid, self.uid, stamp, stamp))
        return line_id

    def create_payment(self, order_id, vals, order):
        info = self.tables["pos_payment"]
        vals.pop("id", None)
        vals.pop("pos_order_id", None)  # the inverse of `payment_ids`
        columns, _ = self.split(vals, info)
        if not columns.get("payment_method_id"):
            raise ValueErrorOdoo("pos.payment needs a payment_method_id")
        stamp = now()
        if columns.get("amount") is None:
            columns["amount"] = 0
        if columns.get("payment_date") is None:
            columns["payment_date"] = stamp
        if columns.get("is_change") is None:
            columns["is_change"] = False
        if columns.get("uuid") is None:
            columns["uuid"] = str(uuidlib.uuid4())
        columns.update({"pos_order_id": order_id, "session_id": order["session_id"],
                        "company_id": order["company_id"], "create_uid": self.uid, "write_uid": self.uid,
                        "create_date": stamp, "write_date": stamp})
        return self.insert("pos_payment", columns)

    def settle(self, order_id, order, session, has_lines):
        """amount_paid from the payments; the change payment when amount_return != 0; totals from lines."""
        self.recompute_paid(order_id)
        amount_return = float(order.get("amount_return") or 0)
        if order.get("state") != "draft" and abs(amount_return) >= 0.005:
            self.cur.execute("""SELECT m.id FROM pos_payment_method m
                                JOIN pos_config_pos_payment_method_rel r ON r.pos_payment_method_id = m.id
                                WHERE r.pos_config_id = %s AND m.is_cash_count ORDER BY m.sequence, m.id LIMIT 1""",
                             (session["config_id"],))
            row = self.cur.fetchone()
            if row is None:
                raise UserError("No cash statement found for this session. Unable to record returned cash.")
            self.create_payment(order_id, {"name": "return", "amount": -amount_return, "payment_method_id": row[0],
                                           "is_change": True}, order)
            self.recompute_paid(order_id)
            if has_lines:
                # Odoo recomputes the totals from the lines through the tax engine here.
                self.cur.execute("""UPDATE pos_order SET
                                       amount_total = (SELECT round(sum(price_subtotal_incl), 2) FROM pos_order_line WHERE order_id = %s),
                                       amount_tax = (SELECT round(sum(price_subtotal_incl - price_subtotal), 2) FROM pos_order_line WHERE order_id = %s)
                                    WHERE id = %s""", (order_id, order_id, order_id))
        # action_pos_order_paid's "not fully paid" check only logs in 18.0: the order stays as it is.

    def recompute_paid(self, order_id):
        self.cur.execute("UPDATE pos_order SET amount_paid = COALESCE((SELECT sum(amount) FROM pos_payment "
                         "WHERE pos_order_id = %s), 0) WHERE id = %s", (order_id, order_id))

    # -- the answer -----------------------------------------------------------------------------
    def read_pos_data(self, ids):
        """What read_pos_data returns: the records with many2one as bare ids (load=False)."""
        result = {"pos.order": [], "pos.session": [], "pos.payment": [], "pos.order.line": [],
                  "pos.pack.operation.lot": [], "product.attribute.custom.value": []}
        if not ids:
            return result
        result["pos.order"] = self.rows("pos_order", "id", ids)
        order_ids = [o["id"] for o in result["pos.order"]]
        result["pos.order.line"] = self.rows("pos_order_line", "order_id", order_ids)
        result["pos.payment"] = self.rows("pos_payment", "pos_order_id", order_ids)
        for order in result["pos.order"]:
            order["lines"] = [line["id"] for line in result["pos.order.line"] if line["order_id"] == order["id"]]
            order["payment_ids"] = [p["id"] for p in result["pos.payment"] if p["pos_order_id"] == order["id"]]
        return result

    def rows(self, table, key, ids):
        info = self.tables[table]
        self.cur.execute(f'SELECT * FROM {table} WHERE "{key}" = ANY(%s) ORDER BY id', (list(ids),))
        names = [d.name for d in self.cur.description]
        return [{n: (info.empty_value(n) if v is None else odoo_value(v)) for n, v in zip(names, row)}
                for row in self.cur.fetchall()]
