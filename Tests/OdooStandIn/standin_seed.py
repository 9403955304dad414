"""Bulk rows for benchmarks: N realistic pos_order rows in one INSERT ... SELECT over generate_series.

Order i (1-based) is deterministic, so a test or benchmark can compute what it seeded:
  session   = 1000 + i // 10000              (a closed session of config 3, created here)
  login     = (i // 1000) % 10 + 1
  sequence  = i % 1000 + 1
  uuid         = md5('uuid-' || i)::uuid      access_token = md5('token-' || i)::uuid
  pos_reference = 'Order SSSSS-LLL-NNNN'      name = 'Shop/' || i (7 digits)
"""


def seed_orders(cursor, count):
    if count <= 0:
        return
    cursor.execute("""
        INSERT INTO pos_session (id, config_id, user_id, sequence_number, login_number, cash_journal_id,
            access_token, name, state, cash_register_balance_start, cash_register_balance_end_real,
            cash_real_transaction, rescue, update_stock_at_closing, start_at, stop_at,
            create_uid, write_uid, create_date, write_date)
        SELECT s, 3, 6, 1, 1, 2, md5('session-' || s), 'POS/' || lpad(s::text, 5, '0'), 'closed', 0, 0, 0,
               false, false, timestamp '2025-01-01' + (s - 1000) * interval '1 day',
               timestamp '2025-01-01 12:00' + (s - 1000) * interval '1 day', 6, 6,
               timestamp '2025-01-01', timestamp '2025-01-01'
        FROM generate_series(1000, 1000 + %s / 10000) s
        ON CONFLICT (id) DO NOTHING""", (count,))
    cursor.execute("""
        INSERT INTO pos_order (user_id, company_id, pricelist_id, partner_id, sequence_number, session_id,
            config_id, nb_print, sale_journal, create_uid, write_uid, access_token, name,
            last_order_preparation_change, state, pos_reference, ticket_code, uuid, general_note,
            amount_difference, amount_tax, amount_total, amount_paid, amount_return, currency_rate,
            tip_amount, to_invoice, is_tipped, has_deleted_line, date_order, create_date, write_date)
        SELECT 6, 1, 1, NULL, i %% 1000 + 1, 1000 + i / 10000, 3, 0, 1, 6, 6,
               md5('token-' || i)::uuid::text, 'Shop/' || lpad(i::text, 7, '0'), '{}',
               CASE WHEN i %% 50 = 0 THEN 'paid' ELSE 'done' END,
               'Order ' || lpad((1000 + i / 10000)::text, 5, '0') || '-' || lpad(((i / 1000) %% 10 + 1)::text, 3, '0')
                        || '-' || lpad((i %% 1000 + 1)::text, 4, '0'),
               substr(md5('ticket-' || i), 1, 5), md5('uuid-' || i)::uuid::text, '',
               0, 1.1, 11.0, 11.0, 0, 1.0, 0, false, false, false,
               d, d, d
        FROM generate_series(1, %s) i,
             LATERAL (SELECT timestamp '2025-01-01 01:00' + (i / 10000) * interval '1 day'
                             + (i %% 10000) * interval '4 seconds' AS d) t""", (count,))
    cursor.execute("SELECT setval('pos_session_id_seq', GREATEST((SELECT max(id) FROM pos_session), 1))")
    cursor.execute("ANALYZE pos_order")
