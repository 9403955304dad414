import Foundation

/// Copies of /work/shared/pos/examples/ (the contract's examples), kept in the test tree so the
/// tests do not depend on a folder outside the repository.
enum PayloadExamples {
    /// `odoo18-offline-order.json`
    static let odoo18Offline = Array(##"""
{
  "id": "12",
  "uuid": "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11",
  "access_token": "5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33",
  "name": "Order 00042-003-0017",
  "pos_reference": "00042-003-0017",
  "sequence_number": 17,
  "ticket_code": "k3P9x",
  "session_id": 42,
  "company_id": 1,
  "user_id": 6,
  "partner_id": 25,
  "pricelist_id": 1,
  "fiscal_position_id": false,
  "date_order": "2026-01-11 02:37:05",
  "state": "paid",
  "amount_total": 55.5,
  "amount_tax": 5.5,
  "amount_paid": 60.0,
  "amount_return": 4.5,
  "amount_difference": 4.5,
  "to_invoice": false,
  "nb_print": 0,
  "shipping_date": false,
  "general_note": "",
  "floating_order_name": false,
  "is_tipped": false,
  "tip_amount": 0,
  "has_deleted_line": false,
  "last_order_preparation_change": "{\"lines\":{},\"generalNote\":\"\",\"sittingMode\":\"dine in\"}",
  "lines": [
    [
      0,
      0,
      {
        "id": 31,
        "uuid": "0b7d3c4e-1f2a-4c5b-8d6e-7f8091a2b3c4",
        "order_id": 12,
        "product_id": 77,
        "full_product_name": "Iced Latte",
        "qty": 2,
        "price_unit": 15.0,
        "discount": 0,
        "price_extra": 0,
        "price_type": "original",
        "price_subtotal": 27.03,
        "price_subtotal_incl": 30.0,
        "tax_ids": [
          [
            4,
            3
          ]
        ],
        "attribute_value_ids": [],
        "custom_attribute_value_ids": [],
        "pack_lot_ids": [],
        "note": "",
        "customer_note": "",
        "skip_change": false,
        "refunded_orderline_id": false,
        "combo_parent_id": false,
        "combo_line_ids": [],
        "combo_item_id": false,
        "refund_orderline_ids": []
      }
    ],
    [
      0,
      0,
      {
        "id": 32,
        "uuid": "6e5d4c3b-2a19-4807-9f6e-5d4c3b2a1908",
        "order_id": 12,
        "product_id": 81,
        "full_product_name": "Croissant",
        "qty": 1,
        "price_unit": 25.5,
        "discount": 0,
        "price_extra": 0,
        "price_type": "original",
        "price_subtotal": 22.97,
        "price_subtotal_incl": 25.5,
        "tax_ids": [
          [
            4,
            3
          ]
        ],
        "attribute_value_ids": [],
        "custom_attribute_value_ids": [],
        "pack_lot_ids": [],
        "note": "",
        "customer_note": "",
        "skip_change": false,
        "refunded_orderline_id": false,
        "combo_parent_id": false,
        "combo_line_ids": [],
        "combo_item_id": false,
        "refund_orderline_ids": []
      }
    ]
  ],
  "payment_ids": [
    [
      0,
      0,
      {
        "id": 9,
        "uuid": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "pos_order_id": 12,
        "payment_method_id": 1,
        "amount": 60.0,
        "payment_date": "2026-01-11 02:37:04",
        "is_change": false,
        "name": false,
        "payment_status": "",
        "ticket": "",
        "transaction_id": false,
        "card_type": false,
        "cardholder_name": false
      }
    ]
  ],
  "backup_date": "2026-01-11T02:37:05.412Z",
  "synced": false,
  "config_id": 3,
  "receipt_html": "<div class=\"pos-receipt\">...</div>"
}
"""##.utf8)

    /// `odoo18-online-order.json`
    static let odoo18Online = Array(##"""
{
  "id": 1234,
  "uuid": "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11",
  "access_token": "5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33",
  "name": "Shop/0017",
  "pos_reference": "Order 00042-003-0017",
  "sequence_number": 17,
  "ticket_code": "k3P9x",
  "session_id": 42,
  "company_id": 1,
  "user_id": 6,
  "partner_id": 25,
  "pricelist_id": 1,
  "fiscal_position_id": false,
  "date_order": "2026-01-11 02:37:05",
  "state": "paid",
  "amount_total": 55.5,
  "amount_tax": 5.5,
  "amount_paid": 60.0,
  "amount_return": 4.5,
  "amount_difference": 4.5,
  "to_invoice": false,
  "nb_print": 0,
  "shipping_date": false,
  "general_note": "",
  "floating_order_name": false,
  "is_tipped": false,
  "tip_amount": 0,
  "has_deleted_line": false,
  "last_order_preparation_change": "{\"lines\":{},\"generalNote\":\"\",\"sittingMode\":\"dine in\"}",
  "lines": [],
  "payment_ids": [],
  "backup_date": "2026-01-11T02:37:05.412Z",
  "synced": false,
  "config_id": 3
}
"""##.utf8)

    /// `odoo17-export-order.json`
    static let odoo17Export = Array(##"""
{
  "name": "Order 00017-001-0004",
  "uid": "00017-001-0004",
  "sequence_number": 4,
  "creation_date": "2023-11-02 08:15:44",
  "pos_session_id": 17,
  "user_id": 2,
  "partner_id": false,
  "pricelist_id": 1,
  "fiscal_position_id": false,
  "amount_total": 33000.0,
  "amount_tax": 3000.0,
  "amount_paid": 50000.0,
  "amount_return": 17000.0,
  "lines": [
    [
      0,
      0,
      {
        "qty": 3,
        "price_unit": 11000.0,
        "discount": 0,
        "product_id": 12,
        "price_subtotal": 30000.0,
        "price_subtotal_incl": 33000.0,
        "tax_ids": [
          [
            6,
            false,
            [
              1
            ]
          ]
        ],
        "full_product_name": "Kopi Susu Gula Aren",
        "id": 5,
        "pack_lot_ids": []
      }
    ]
  ],
  "statement_ids": [
    [
      0,
      0,
      {
        "name": "2023-11-02 08:15:44",
        "payment_method_id": 1,
        "amount": 50000.0,
        "payment_status": "",
        "ticket": "",
        "card_type": "",
        "cardholder_name": "",
        "transaction_id": ""
      }
    ]
  ],
  "to_invoice": false,
  "to_ship": false,
  "is_tipped": false,
  "tip_amount": 0,
  "access_token": "2b9c5d1e-8f7a-4c3b-a2d1-e0f9a8b7c6d5"
}
"""##.utf8)

    /// `indexeddb-export.json`
    static let indexedDBExport = Array(##"""
{
  "database": "pos_order_backup_3",
  "store": "orders",
  "key": "access_token",
  "records": [
    {
      "id": "12",
      "uuid": "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11",
      "access_token": "5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33",
      "name": "Order 00042-003-0017",
      "pos_reference": "00042-003-0017",
      "sequence_number": 17,
      "ticket_code": "k3P9x",
      "session_id": 42,
      "company_id": 1,
      "user_id": 6,
      "partner_id": 25,
      "pricelist_id": 1,
      "fiscal_position_id": false,
      "date_order": "2026-01-11 02:37:05",
      "state": "paid",
      "amount_total": 55.5,
      "amount_tax": 5.5,
      "amount_paid": 60.0,
      "amount_return": 4.5,
      "amount_difference": 4.5,
      "to_invoice": false,
      "nb_print": 0,
      "shipping_date": false,
      "general_note": "",
      "floating_order_name": false,
      "is_tipped": false,
      "tip_amount": 0,
      "has_deleted_line": false,
      "last_order_preparation_change": "{\"lines\":{},\"generalNote\":\"\",\"sittingMode\":\"dine in\"}",
      "lines": [
        [
          0,
          0,
          {
            "id": 31,
            "uuid": "0b7d3c4e-1f2a-4c5b-8d6e-7f8091a2b3c4",
            "order_id": 12,
            "product_id": 77,
            "full_product_name": "Iced Latte",
            "qty": 2,
            "price_unit": 15.0,
            "discount": 0,
            "price_extra": 0,
            "price_type": "original",
            "price_subtotal": 27.03,
            "price_subtotal_incl": 30.0,
            "tax_ids": [
              [
                4,
                3
              ]
            ],
            "attribute_value_ids": [],
            "custom_attribute_value_ids": [],
            "pack_lot_ids": [],
            "note": "",
            "customer_note": "",
            "skip_change": false,
            "refunded_orderline_id": false,
            "combo_parent_id": false,
            "combo_line_ids": [],
            "combo_item_id": false,
            "refund_orderline_ids": []
          }
        ],
        [
          0,
          0,
          {
            "id": 32,
            "uuid": "6e5d4c3b-2a19-4807-9f6e-5d4c3b2a1908",
            "order_id": 12,
            "product_id": 81,
            "full_product_name": "Croissant",
            "qty": 1,
            "price_unit": 25.5,
            "discount": 0,
            "price_extra": 0,
            "price_type": "original",
            "price_subtotal": 22.97,
            "price_subtotal_incl": 25.5,
            "tax_ids": [
              [
                4,
                3
              ]
            ],
            "attribute_value_ids": [],
            "custom_attribute_value_ids": [],
            "pack_lot_ids": [],
            "note": "",
            "customer_note": "",
            "skip_change": false,
            "refunded_orderline_id": false,
            "combo_parent_id": false,
            "combo_line_ids": [],
            "combo_item_id": false,
            "refund_orderline_ids": []
          }
        ]
      ],
      "payment_ids": [
        [
          0,
          0,
          {
            "id": 9,
            "uuid": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
            "pos_order_id": 12,
            "payment_method_id": 1,
            "amount": 60.0,
            "payment_date": "2026-01-11 02:37:04",
            "is_change": false,
            "name": false,
            "payment_status": "",
            "ticket": "",
            "transaction_id": false,
            "card_type": false,
            "cardholder_name": false
          }
        ]
      ],
      "backup_date": "2026-01-11T02:37:05.412Z",
      "synced": false,
      "config_id": 3,
      "receipt_html": "<div class=\"pos-receipt\">...</div>"
    },
    {
      "id": 1235,
      "uuid": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
      "access_token": "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098",
      "name": "Shop/0018",
      "pos_reference": "Order 00042-003-0018",
      "sequence_number": 18,
      "ticket_code": "k3P9x",
      "session_id": 42,
      "company_id": 1,
      "user_id": 6,
      "partner_id": false,
      "pricelist_id": 1,
      "fiscal_position_id": false,
      "date_order": "2026-01-11 02:41:19",
      "state": "paid",
      "amount_total": 12.0,
      "amount_tax": 1.2,
      "amount_paid": 12.0,
      "amount_return": 0.0,
      "amount_difference": 0.0,
      "to_invoice": false,
      "nb_print": 0,
      "shipping_date": false,
      "general_note": "",
      "floating_order_name": false,
      "is_tipped": false,
      "tip_amount": 0,
      "has_deleted_line": false,
      "last_order_preparation_change": "{\"lines\":{},\"generalNote\":\"\",\"sittingMode\":\"dine in\"}",
      "lines": [],
      "payment_ids": [],
      "backup_date": "2026-01-11T02:41:19.877Z",
      "synced": true,
      "config_id": 3,
      "sync_date": "2026-01-11T02:41:50.101Z"
    }
  ]
}
"""##.utf8)
}
