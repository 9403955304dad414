"""Odoo domains translated to parameterised SQL on one real table.

A domain is Polish notation: '&' and '|' take the next two terms, '!' the next one, and terms side by
side are implicitly AND-ed. Leaves are [field, operator, value]. Like Odoo's expression.py, values are
always bound parameters (never spliced into the SQL) and `in` becomes `IN (%s, ...)`, which PostgreSQL
plans as `= ANY(array)` with a hashed lookup for long lists.
"""

from standin_errors import ValueErrorOdoo, invalid_field

OPERATORS = {"=", "!=", "in", "not in", "=like", "=ilike", "like", "ilike", "not like", "not ilike",
             "<", ">", "<=", ">="}


def normalise(domain):
    """The domain with the implicit '&' made explicit (Odoo's normalize_domain)."""
    if not isinstance(domain, list):
        raise ValueErrorOdoo(f"Invalid domain {domain!r}")
    result, expected = [], 1
    for token in domain:
        if expected == 0:
            result.insert(0, "&")
            expected = 1
        if isinstance(token, (list, tuple)):
            expected -= 1
        elif token in ("&", "|"):
            expected += 1
        elif token == "!":
            pass
        else:
            raise ValueErrorOdoo(f"Invalid domain term {token!r}")
        result.append(token)
    if expected > 0 and domain:
        raise ValueErrorOdoo(f"Invalid domain {domain!r}: an operator lacks its terms")
    return result


def to_sql(domain, table_info, alias):
    """(sql, params) for a WHERE clause; an empty domain is TRUE."""
    tokens = normalise(domain)
    if not tokens:
        return "TRUE", []
    sql, params, end = _term(tokens, 0, table_info, alias)
    if end != len(tokens):
        raise ValueErrorOdoo(f"Invalid domain {domain!r}")
    return sql, params


def _term(tokens, i, info, alias):
    token = tokens[i]
    if token == "!":
        sql, params, end = _term(tokens, i + 1, info, alias)
        return f"(NOT {sql})", params, end
    if token in ("&", "|"):
        left, lp, mid = _term(tokens, i + 1, info, alias)
        right, rp, end = _term(tokens, mid, info, alias)
        joiner = "AND" if token == "&" else "OR"
        return f"({left} {joiner} {right})", lp + rp, end
    return (*_leaf(token, info, alias), i + 1)


def _leaf(leaf, info, alias):
    if len(leaf) != 3:
        raise ValueErrorOdoo(f"Invalid leaf {list(leaf)!r}")
    field, op, value = leaf
    if field in (0, 1) and op == "=" and value == 1:  # Odoo's TRUE_LEAF / FALSE_LEAF
        return ("TRUE" if field == 1 else "FALSE"), []
    if not isinstance(field, str) or (field != "id" and field not in info.columns):
        raise invalid_field(field, info.model)
    op = op.lower() if isinstance(op, str) else op
    if op not in OPERATORS:
        raise ValueErrorOdoo(f"Invalid leaf {list(leaf)!r}: unknown operator {op!r}")
    column = f'{alias}."{field}"'

    if op in ("in", "not in"):
        if not isinstance(value, (list, tuple)):
            value = [value]
        present = [v for v in value if v is not False and v is not None]
        has_null = len(present) != len(value)
        parts, params = [], []
        if present:
            parts.append(f"{column} IN ({', '.join(['%s'] * len(present))})")
            params = list(present)
        if has_null:
            parts.append(f"{column} IS NULL")
        positive = "(" + " OR ".join(parts) + ")" if parts else "FALSE"
        if op == "in":
            return positive, params
        # Odoo: `not in` keeps the NULLs unless False was in the list.
        if not present:
            return (f"{column} IS NOT NULL" if has_null else "TRUE"), []
        null_part = f" AND {column} IS NOT NULL" if has_null else f" OR {column} IS NULL"
        return f"({column} NOT IN ({', '.join(['%s'] * len(present))}){null_part})", list(present)

    if value is False or value is None:
        if op == "=":
            return f"{column} IS NULL", []
        if op == "!=":
            return f"{column} IS NOT NULL", []

    if op == "=":
        return f"{column} = %s", [value]
    if op == "!=":
        # Odoo's `!=` matches NULLs too: a missing value is different from any value.
        return f"({column} != %s OR {column} IS NULL)", [value]
    if op in ("<", ">", "<=", ">="):
        return f"{column} {op} %s", [value]

    pattern = str(value)
    if op in ("like", "ilike", "not like", "not ilike"):
        pattern = f"%{pattern}%"
    sql_op = {"=like": "LIKE", "=ilike": "ILIKE", "like": "LIKE", "ilike": "ILIKE",
              "not like": "NOT LIKE", "not ilike": "NOT ILIKE"}[op]
    if op.startswith("not"):
        return f"({column}::text {sql_op} %s OR {column} IS NULL)", [pattern]
    return f"{column}::text {sql_op} %s", [pattern]


def order_by(order, info, alias, default):
    """An ORDER BY clause from Odoo's `order` string ("date_order desc, id"), checked field by field."""
    spec = order or default
    parts = []
    for item in spec.split(","):
        words = item.strip().split()
        if not words:
            continue
        field, direction = words[0], (words[1].upper() if len(words) > 1 else "ASC")
        if field != "id" and field not in info.columns:
            raise ValueErrorOdoo(f"Invalid field {field!r} on model {info.model!r}")
        if direction not in ("ASC", "DESC") or len(words) > 2:
            raise ValueErrorOdoo(f"Invalid \"order\" specified ({spec}).")
        parts.append(f'{alias}."{field}" {direction}')
    return ", ".join(parts)
