# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class RelationshipCase(BaseCommon):
    """A company of its own, its ladder, and users of each relationship group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Outdoor Goods Ltd"})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.manager = new_test_user(
            cls.env,
            login="rm_manager",
            groups="base.group_user,relationship_marketing.group_relationship_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user = new_test_user(
            cls.env,
            login="rm_user",
            groups="base.group_user,relationship_marketing.group_relationship_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.Stage = cls.env["relationship.stage"]
        cls.stages = cls.Stage.search([("company_id", "=", cls.company.id)])
        names = [
            "prospect",
            "first_time",
            "repeat",
            "client",
            "member",
            "advocate",
            "partner",
        ]
        for name, stage in zip(names, cls.stages, strict=True):
            setattr(cls, f"stage_{name}", stage)
        cls._core_ladder(cls.company)
        cls.Purchase = cls.env["relationship.purchase"].with_user(cls.user)
        cls.Partner = cls.env["res.partner"]

    @classmethod
    def _core_ladder(cls, company):
        """Let ``company``'s ladder take contacts on as the core does.

        With CRM, the first rung asks for interest shown (the bridge
        relationship_marketing_crm ships it so, and tests it); these tests
        put contacts on the ladder the core's way.
        """
        if "require_interest" in cls.Stage._fields:
            cls.Stage.search([("company_id", "=", company.id)]).require_interest = False

    @classmethod
    def row(cls, order_id, **values):
        row = {
            "order_id": order_id,
            "order_date": "2026-03-01 10:00:00",
            "customer_id": "C-1",
            "email": "ada@example.com",
            "name": "Ada Lovelace",
            "amount": 100.0,
        }
        row.update(values)
        return {key: value for key, value in row.items() if value is not None}

    def ingest(self, rows, source="webshop", **kwargs):
        return self.Purchase.ingest_batch(rows, source, **kwargs)

    def statuses(self, answer):
        return [result["status"] for result in answer["results"]]

    @contextmanager
    def _sent_statements(self, prefix):
        """The SQL statements starting with ``prefix`` sent inside the block."""
        sent = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            code = str(getattr(query, "code", query)).strip()
            if code.startswith(prefix):
                sent.append(code)
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            yield sent
