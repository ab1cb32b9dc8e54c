from freezegun import freeze_time

from odoo.tests import tagged

from .insights_common import InsightsCommon


@tagged("post_install", "-at_install")
class TestTeamKpi(InsightsCommon):
    @freeze_time("2026-11-30 12:00:00")
    def test_team_kpis(self):
        self.open_dispute(1000.0, team_id=self.team.id)
        self.open_dispute(500.0, team_id=self.team.id)
        recent = self.open_dispute(
            200.0, team_id=self.team.id, date_open="2026-11-20 12:00:00"
        )
        old = self.open_dispute(
            300.0, team_id=self.team.id, date_open="2026-10-01 12:00:00"
        )
        with freeze_time("2026-11-23 12:00:00"):
            recent.stage_id = self.stage_resolved
        with freeze_time("2026-10-11 12:00:00"):
            old.stage_id = self.stage_resolved  # closed 50 days ago: not counted
        model = self.env["ir.model"]._get_id("account.dispute")
        self.env["rating.rating"].create(
            [
                {"res_model_id": model, "res_id": recent.id, "rating": 4.0},
                {"res_model_id": model, "res_id": old.id, "rating": 2.0},
            ]
        ).consumed = True

        self.assertRecordValues(
            self.team,
            [
                {
                    "kpi_open_count": 2,
                    "kpi_open_amount": 1500.0,
                    "kpi_days_to_resolve": 3.0,
                    "kpi_rating": 3.0,
                    "kpi_has_sla": "sla_status" in self.env["account.dispute"]._fields,
                }
            ],
        )

    def test_team_without_disputes(self):
        self.assertRecordValues(
            self.team,
            [{"kpi_open_count": 0, "kpi_open_amount": 0.0, "kpi_rating": 0.0}],
        )

    def test_card_opens_the_team_open_disputes(self):
        action = self.team.action_open_team_disputes()

        self.assertEqual(action["res_model"], "account.dispute")
        self.assertEqual(action["domain"], [("team_id", "=", self.team.id)])
        self.assertEqual(action["context"]["search_default_open"], 1)
