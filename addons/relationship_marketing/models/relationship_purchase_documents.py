# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..tools.batch import write_each


class RelationshipPurchase(models.Model):
    """The purchases that are documents of Odoo's own apps (sale orders,
    invoices, POS orders...): the one loop by which each bridge makes them
    follow their documents."""

    _inherit = "relationship.purchase"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _relationship_follow_documents(
        self, documents, link_field, source, values_of, reason, refunds=None
    ):
        """Make the purchases of ``documents`` follow them, set-based: one
        search of the purchases linked to them, one ``create`` of the new
        purchases, one write per set of values, the refunded amounts of the
        purchases concerned, and one recomputation of all the customers
        touched, on the path that ingestion uses.

        :param documents: the documents (a recordset with ``company_id``), as
            the bridge may read them (the bridges pass them in sudo)
        :param link_field: the field of the purchase that links it to its
            document (``sale_order_id``...); the purchase's external id is the
            document's id
        :param source: the source of these purchases (``odoo.sale``...)
        :param values_of: ``values_of(document, purchase)``, with the
            document's purchase or an empty recordset: the values its purchase
            holds, or ``None`` where the document is no purchase (then its
            purchase, if any, is cancelled; confirming it again revives it)
        :param reason: the reason of the stage moves (a translated string)
        :param refunds: ``refunds(Purchase)``, called after the purchases are
            written: the purchases whose documents' refunds changed (e.g. those
            of the orders a refund order gives back)
        :return: the purchases created or written
        """
        Purchase = self.with_context(relationship_ingest=True, tracking_disable=True)
        existing = {}
        if documents:
            existing = {
                purchase[link_field].id: purchase
                for purchase in Purchase.search([(link_field, "in", documents.ids)])
            }
        to_create, to_write = [], {}
        for document in documents:
            purchase = existing.get(document.id, Purchase)
            vals = values_of(document, purchase)
            if vals is None:
                if not purchase:
                    continue
                vals = {"state": "cancel"}
            if not purchase:
                to_create.append(
                    dict(
                        vals,
                        source=source,
                        external_id=str(document.id),
                        company_id=document.company_id.id,
                        **{link_field: document.id},
                    )
                )
            elif Purchase._purchase_differs(purchase, vals):
                to_write[purchase.id] = vals
        lost = Purchase.browse(list(to_write)).partner_id
        created = Purchase.create(to_create)
        updated = write_each(Purchase, to_write)
        # a purchase written down below what its documents gave back, and
        # those whose documents' refunds changed
        refunded = refunds(Purchase) if refunds else Purchase
        changed = (updated | refunded)._relationship_update_refunds()
        # customers who lost a purchase get their figures again; the stages
        # only move forward, so only the buyers advance
        buyers = created.partner_id | updated.partner_id
        customers = lost | buyers | changed.partner_id
        if customers:
            customers._relationship_refresh_depth(reason=reason, purchased=True)
            buyers._relationship_advance_stages(reason=reason, purchased=True)
        return created | updated

    def _relationship_update_refunds(self):
        """Set the refunded amount of these purchases of Odoo documents to what
        their documents give back; return the purchases whose refunded amount
        changed. The core knows no refund document: the invoicing bridge
        (credit notes) and the others extend it."""
        return self.browse()
