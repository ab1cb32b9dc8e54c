{
    "name": "AR Dispute Management",
    "summary": "Hold, route, discuss and resolve disputed customer invoices",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/ar-dispute-management/ar_dispute_management",
    "author": "AR Dispute Management contributors",
    "license": "LGPL-3",
    "depends": ["account", "mail", "portal"],
    "data": [
        # security
        "security/ar_dispute_security.xml",
        "security/ir.model.access.csv",
        # data
        "data/ir_sequence_data.xml",
        "data/account_dispute_stage_data.xml",
        "data/account_dispute_category_data.xml",
        # views
        "views/account_dispute_views.xml",
        "views/account_dispute_config_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "wizards/account_dispute_raise_wizard_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/ar_dispute_demo.xml",
    ],
}
