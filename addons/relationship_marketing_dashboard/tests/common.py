# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.relationship_marketing.tests.common import RelationshipCase

# What happens to whom, how many days before now, in the order it happens.
# (days ago, customer, event, value)
EVENTS = [
    (100, "alice", "stage", "prospect"),
    (90, "alice", "buy", 100.0),
    (80, "bob", "buy", 100.0),
    (70, "carol", "stage", "prospect"),
    (60, "alice", "buy", 100.0),
    (50, "dave", "buy3", 200.0),  # three orders at once: straight to client
    (45, "gina", "stage", "prospect"),
    (40, "dave", "member", True),
    (30, "alice", "buy", 100.0),
    (20, "frank", "referred_by", "dave"),  # dave becomes an advocate
    (20, "frank", "buy", 100.0),
    (15, "gina", "buy", 100.0),
    (12, "hank", "stage", "prospect"),
    (10, "hank", "buy", 100.0),
    (10, "dave", "agreement", True),
]
# Satisfaction scores, inquiries and phase moves: (days ago, customer, value)
SCORES = [(25, "alice", 9.0), (8, "dave", 10.0), (5, "gina", 2.0)]
INQUIRIES = [(70, "bob", "inquiry"), (65, "carol", "inquiry"), (60, "bob", "complaint")]
# frank's relationship ended and came back
PHASE_MOVES = [
    (18, "frank", "awareness", "dissolution", False),
    (16, "frank", "dissolution", "awareness", True),
]
SEGMENTS = {
    "Retail": ("alice", "bob", "carol", "frank"),
    "Trade": ("dave", "gina", "hank"),
}
SALESPERSON = {
    "alice": "sales_1",
    "bob": "sales_1",
    "hank": "sales_1",
    "carol": "sales_2",
    "dave": "sales_2",
    "gina": "sales_2",
    "frank": None,
}
SALES_GROUPS = "base.group_user,relationship_marketing.group_relationship_user"
STAGE_NAMES = ["prospect", "first_time", "repeat", "client", "member", "advocate", "partner"]


class RelationshipScenario:
    """Seven customers of one company, with known moves at known dates.

    Every event runs at its own frozen time, so that the stage history, the
    purchases and the stage dates carry the dates a real run would have given
    them; ``now`` is the transaction's time, which the SQL views use too.

    Where they stand (T = now):

    ========  =========================================================
    alice     prospect T-100, first-time T-90, repeat T-60, client T-30
    bob       first-time T-80 (first purchase, jumps over prospect)
    carol     prospect T-70, nothing since
    dave      client T-50 (three orders), member T-40, advocate T-20
              (referred frank), partner T-10
    frank     first-time T-20, referred by dave
    gina      prospect T-45, first-time T-15
    hank      prospect T-12, first-time T-10
    ========  =========================================================

    Satisfaction scores: alice 9 (T-25), dave 10 (T-8), gina 2 (T-5, which puts
    her at risk). Inquiries: bob T-70, carol T-65; a complaint of bob T-60.
    Frank's relationship ended T-18 and was won back T-16. Segments: Retail
    (alice, bob, carol, frank) and Trade (dave, gina, hank).
    """

    @classmethod
    def build_scenario(cls, company, sales_1, sales_2):
        env = cls.env
        cls.now = env.cr.now()
        stages = env["relationship.stage"].search([("company_id", "=", company.id)])
        cls.rungs = dict(zip(STAGE_NAMES, stages, strict=True))
        users = {"sales_1": sales_1, "sales_2": sales_2, None: env["res.users"]}
        Partner = env["res.partner"]
        cls.customers = {
            name: Partner.create(
                {
                    "name": f"{name.capitalize()} Example",
                    "email": f"{name}@example.com",
                    "company_id": company.id,
                    "user_id": users[SALESPERSON[name]].id,
                }
            )
            for name in SALESPERSON
        }
        Purchase = env["relationship.purchase"]
        for number, (days_ago, name, event, value) in enumerate(EVENTS):
            customer = cls.customers[name]
            with freeze_time(cls.days_ago(days_ago)):
                if event == "stage":
                    # a salesperson sets the stage by hand
                    customer.with_user(customer.user_id or env.user).write(
                        {"relationship_stage_id": cls.rungs[value].id}
                    )
                elif event in ("buy", "buy3"):
                    Purchase.create(
                        [
                            {
                                "source": "shop",
                                "external_id": f"{name}-{number}-{n}",
                                "partner_id": customer.id,
                                "company_id": company.id,
                                "date_order": cls.days_ago(days_ago),
                                "amount": value,
                            }
                            for n in range(3 if event == "buy3" else 1)
                        ]
                    )
                elif event == "member":
                    customer.write({"relationship_membership_active": value})
                elif event == "agreement":
                    customer.write({"relationship_agreement": value})
                elif event == "referred_by":
                    customer.write({"relationship_referred_by_id": cls.customers[value].id})
        for days_ago, name, score in SCORES:
            with freeze_time(cls.days_ago(days_ago)):
                env["relationship.satisfaction"].create(
                    {
                        "partner_id": cls.customers[name].id,
                        "company_id": company.id,
                        "date": cls.days_ago(days_ago),
                        "score": score,
                    }
                )
        env["relationship.inquiry"].create(
            [
                {
                    "name": f"{kind.capitalize()} of {name}",
                    "partner_id": cls.customers[name].id,
                    "company_id": company.id,
                    "date": cls.days_ago(days_ago),
                    "kind": kind,
                }
                for days_ago, name, kind in INQUIRIES
            ]
        )
        env["relationship.phase.history"].create(
            [
                {
                    "partner_id": cls.customers[name].id,
                    "company_id": company.id,
                    "date": cls.days_ago(days_ago),
                    "phase_from": phase_from,
                    "phase_to": phase_to,
                    "won_back": won_back,
                }
                for days_ago, name, phase_from, phase_to, won_back in PHASE_MOVES
            ]
        )
        cls.segments = {}
        for segment_name, names in SEGMENTS.items():
            segment = env["relationship.segment"].create(
                {"name": segment_name, "rule": "manual", "company_id": company.id}
            )
            cls.segments[segment_name] = segment
            for name in names:
                cls.customers[name].relationship_segment_id = segment
        # Stuck limits: 60 days as a prospect, 25 as a first-time customer.
        cls.rungs["prospect"].stuck_after_days = 60
        cls.rungs["first_time"].stuck_after_days = 25
        cls.refresh_reports()

    @classmethod
    def refresh_reports(cls):
        """Compute the reports from the data of now, as the nightly cron does."""
        cls.env["relationship.report.materialized"]._refresh_reports()

    @classmethod
    def days_ago(cls, days):
        return cls.now - timedelta(days=days)


class DashboardCase(RelationshipCase, RelationshipScenario):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_1, cls.sales_2 = (
            new_test_user(
                cls.env,
                login=login,
                groups=SALES_GROUPS,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for login in ("rm_sales_1", "rm_sales_2")
        )
        cls.build_scenario(cls.company, cls.sales_1, cls.sales_2)

    def read_group(self, model, domain, groupby, aggregates, user=None):
        """What a pivot of ``model`` shows, as the given user (a salesperson by default)."""
        Model = self.env[model].with_user(user or self.user)
        return Model._read_group(
            [("company_id", "=", self.company.id), *domain], groupby, aggregates
        )
