"""search_read and search_count on a real table, rendered as Odoo 18 renders them: a list of dicts with
`id` first, many2one as [id, "display name"], NULL as False (0 / 0.0 for numbers).

One SQL statement per call, like Odoo's own search_read (a search, then a read that joins nothing
for the fields asked here), so timings through the stand-in are a fair floor for a real server.
"""

from standin_domain import order_by, to_sql
from standin_errors import TypeErrorOdoo, invalid_field
from standin_model import odoo_value

# pos.order's _order in Odoo 18.
DEFAULT_ORDER = {"pos_order": "date_order desc, name desc, id desc"}

# The one2many fields a caller may ask for by name, as (child table, child's foreign key).
ONE2MANY = {"pos_order": {"lines": ("pos_order_line", "order_id"), "payment_ids": ("pos_payment", "pos_order_id")}}


def search_kwargs(args, kwargs, positional):
    """Odoo's methods take their parameters positionally or by name; merge both into one dict."""
    merged = {}
    for name, value in zip(positional, args):
        merged[name] = value
    for name, value in (kwargs or {}).items():
        if name in merged:
            raise TypeErrorOdoo(f"got multiple values for argument '{name}'")
        merged[name] = value
    return merged


def _where(cursor, info, domain, alias="o"):
    return to_sql(domain if domain is not None else [], info, alias)


def search_count(cursor, info, params):
    where, values = _where(cursor, info, params.get("domain"))
    limit = params.get("limit")
    if limit:
        cursor.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{info.table}" o WHERE {where} LIMIT %s) s',
                       values + [int(limit)])
    else:
        cursor.execute(f'SELECT count(*) FROM "{info.table}" o WHERE {where}', values)
    return cursor.fetchone()[0]


def search_read(cursor, info, params, load="_classic_read"):
    fields = params.get("fields") or [c for c in info.columns if c != "id"]
    for field in fields:
        if field != "id" and not info.is_field(field):
            raise invalid_field(field, info.model)
    where, values = _where(cursor, info, params.get("domain"))
    select, joins, readers = ['o."id"'], [], []
    one2many = ONE2MANY.get(info.table, {})
    for field in fields:
        if field == "id":
            continue
        if field in info.many2one and load == "_classic_read":
            target, display = info.many2one[field]
            j = f"j_{field}"
            joins.append(f'LEFT JOIN "{target}" {j} ON {j}.id = o."{field}"')
            select.append(f'o."{field}"')
            select.append(display.format(t=j))
            readers.append((field, "m2o"))
        elif field in info.columns:
            select.append(f'o."{field}"')
            readers.append((field, "plain"))
        elif field in one2many:
            child, fk = one2many[field]
            select.append(f'ARRAY(SELECT c.id FROM "{child}" c WHERE c."{fk}" = o.id ORDER BY c.id)')
            readers.append((field, "plain"))
        else:
            readers.append((field, "computed"))  # not stored and not computed here: False
    sql = (f'SELECT {", ".join(select)} FROM "{info.table}" o {" ".join(joins)} WHERE {where} '
           f'ORDER BY {order_by(params.get("order"), info, "o", DEFAULT_ORDER.get(info.table, "id"))}')
    if params.get("limit"):
        sql += " LIMIT %s"
        values = values + [int(params["limit"])]
    if params.get("offset"):
        sql += " OFFSET %s"
        values = values + [int(params["offset"])]
    cursor.execute(sql, values)
    return [_render(row, readers, info) for row in cursor.fetchall()]


def _render(row, readers, info):
    record = {"id": row[0]}
    i = 1
    for field, how in readers:
        if how == "m2o":
            ident, name = row[i], row[i + 1]
            record[field] = [ident, name if name is not None else ""] if ident is not None else False
            i += 2
        elif how == "plain":
            value = row[i]
            record[field] = info.empty_value(field) if value is None else odoo_value(value)
            i += 1
        else:
            record[field] = False
    return record
