from odoo.tests import HttpCase, new_test_user

from .common import DisputeCommon


class DisputePortalCommon(DisputeCommon, HttpCase):
    """Two customers with portal users; the first customer has two contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_contact.email = "grace.holloway@stmarys.example.com"
        cls.portal_grace = cls._portal_user("portal_grace", cls.customer_contact)
        cls.second_contact = cls.env["res.partner"].create(
            {
                "name": "Martha Jones",
                "email": "martha.jones@stmarys.example.com",
                "parent_id": cls.customer.id,
            }
        )
        cls.portal_martha = cls._portal_user("portal_martha", cls.second_contact)
        cls.other_contact = cls.env["res.partner"].create(
            {
                "name": "Rory Williams",
                "email": "rory.williams@northside.example.com",
                "parent_id": cls.other_customer.id,
            }
        )
        cls.portal_rory = cls._portal_user("portal_rory", cls.other_contact)
        cls.category_pricing.team_id = cls.team

    @classmethod
    def _portal_user(cls, login, partner):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            partner_id=partner.id,
            name=partner.name,
            email=partner.email or f"{login}@example.com",
        )

    def _dispute_ids_in_list(self, html):
        return {
            dispute.id
            for dispute in self.env["account.dispute"].search([])
            if f"/my/disputes/{dispute.id}?" in html
            or f'/my/disputes/{dispute.id}"' in html
        }
