"""The case-management API (API.md, "Our own case-management integration"): record children,
their placements and placement ends through the same service functions as the web pages.

A key sees only the children its authority is responsible for; any other child is "not
found", so the API never reveals another authority's records.
"""

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from models import Child, Notification, Placement
from notify import audit
from notify.apikit import (
    api_transaction,
    current_client,
    fail,
    page_of,
    require_scope,
)
from notify.calendar import today_uk
from notify.extensions import db
from notify.placements.schemas import (
    ChildInSchema,
    ChildQuerySchema,
    ChildSchema,
    EndInSchema,
    EndRequest,
    NotificationSchema,
    PlacementChange,
    PlacementChangeSchema,
    PlacementInSchema,
    PlacementRequest,
    WithdrawInSchema,
    WithdrawRequest,
)
from notify.placements.service import ChildDetails, end_placement, record_child, record_placement
from notify.placements.withdrawal import CannotWithdraw, withdraw_placement
from notify.web.converters import row_id

SCOPE = "placements:write"
# Where the service names a field differently from the API body.
PLACEMENT_PATHS = {
    "postcode": "address.postcode",
    "address_line_1": "address.line_1",
    "address_line_2": "address.line_2",
    "town": "address.town",
}

blp = Blueprint(
    "children_api",
    __name__,
    url_prefix="/api/v1/children",
    description="Our own case-management integration: children we look after, their "
    "placements and the notifications those cause.",
)


@blp.route("")
class Children(MethodView):
    @require_scope(SCOPE)
    @blp.arguments(ChildQuerySchema, location="query")
    @blp.response(200, ChildSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[Child]:
        """Find children by case reference, or list them all"""
        statement = select(Child).where(
            Child.responsible_authority_code == current_client().authority_code
        )
        if "case_reference" in query:
            statement = statement.where(Child.case_reference == query["case_reference"])
        with api_transaction():
            children = page_of(statement.order_by(Child.id), pagination_parameters)
            audit.record(
                "api_child_search",
                "child",
                None,
                case_reference=query.get("case_reference"),
                child_ids=[c.id for c in children],
            )
        return children

    @require_scope(SCOPE)
    @blp.arguments(ChildInSchema)
    @blp.response(201, ChildSchema)
    def post(self, details: ChildDetails) -> Any:
        """Record a child we look after"""
        with api_transaction(
            conflict="A child with this case reference was recorded at the same moment."
        ) as session:
            child = record_child(session, details, current_client().authority_code, today_uk())
            audit.record("api_child_create", "child", child.id)
        return child, 201, {"Location": url_for("children_api.OneChild", child_id=str(child.id))}


@blp.route("/<child_id>")
class OneChild(MethodView):
    @require_scope(SCOPE)
    @blp.response(200, ChildSchema)
    def get(self, child_id: str) -> Child:
        """Read a child's record, with their placements"""
        child = own_child(child_id)
        with api_transaction():
            audit.record("api_child_view", "child", child.id)
        return child


@blp.route("/<child_id>/placements")
class ChildPlacements(MethodView):
    @require_scope(SCOPE)
    @blp.arguments(PlacementInSchema)
    @blp.response(201, PlacementChangeSchema)
    def post(self, body: PlacementRequest, child_id: str) -> Any:
        """Record a placement (a move, if the child has a current one)

        Answers with the placement, the fields derived from its postcode and the
        notifications it caused, including the end notices of the placement it replaces.
        """
        child = own_child(child_id)
        with api_transaction(PLACEMENT_PATHS) as session:
            recorded = record_placement(
                session,
                child,
                body.details,
                expected_version=child.version if body.version is None else body.version,
                actor_id=None,
                today=today_uk(),
            )
            session.flush()
            audit.record(
                "api_placement_record",
                "child",
                child.id,
                placement_id=recorded.placement.id,
                notification_ids=[n.id for n in recorded.notifications],
            )
        return PlacementChange(recorded.placement, recorded.notifications), 201


@blp.route("/<child_id>/placements/<placement_id>/end")
class EndPlacement(MethodView):
    @require_scope(SCOPE)
    @blp.arguments(EndInSchema)
    @blp.response(200, PlacementChangeSchema)
    def post(self, body: EndRequest, child_id: str, placement_id: str) -> PlacementChange:
        """End a placement with no new one (the child leaves care or goes missing)"""
        child = own_child(child_id)
        placement = _placement_of(child, placement_id)
        with api_transaction() as session:
            recorded = end_placement(
                session,
                child,
                placement,
                end_date=body.end_date,
                end_reason=body.end_reason,
                destination=body.destination,
                expected_version=child.version if body.version is None else body.version,
                today=today_uk(),
                not_practicable_reason=body.not_practicable_reason,
            )
            session.flush()
            audit.record(
                "api_placement_end",
                "child",
                child.id,
                placement_id=placement.id,
                notification_ids=[n.id for n in recorded.notifications],
            )
        return PlacementChange(placement, recorded.notifications)


@blp.route("/<child_id>/placements/<placement_id>/withdraw")
class WithdrawPlacement(MethodView):
    @require_scope(SCOPE)
    @blp.arguments(WithdrawInSchema)
    @blp.response(200, PlacementChangeSchema)
    @blp.alt_response(409, description="The placement has started, or is not the latest")
    def post(self, body: WithdrawRequest, child_id: str, placement_id: str) -> PlacementChange:
        """Withdraw a planned placement that will not happen

        Only before it starts, and only the child's latest. Its notices not yet sent are
        cancelled; everyone already sent one gets a withdrawal notice (the notifications
        answered); the placement the planned move would have ended goes on.
        """
        child = own_child(child_id)
        placement = _placement_of(child, placement_id)
        with api_transaction() as session:
            try:
                recorded = withdraw_placement(
                    session,
                    child,
                    placement,
                    reason=body.reason,
                    expected_version=child.version if body.version is None else body.version,
                    actor_id=None,
                    today=today_uk(),
                )
            except CannotWithdraw as exc:
                fail(409, f"{exc}.", code="cannot_withdraw")
            session.flush()
            audit.record(
                "api_placement_withdraw",
                "child",
                child.id,
                placement_id=placement.id,
                notification_ids=[n.id for n in recorded.notifications],
            )
        return PlacementChange(placement, recorded.notifications)


@blp.route("/<child_id>/notifications")
class ChildNotifications(MethodView):
    @require_scope(SCOPE)
    @blp.response(200, NotificationSchema(many=True))
    def get(self, child_id: str) -> list[Notification]:
        """The notifications about a child, oldest first"""
        child = own_child(child_id)
        notifications = list(
            db.session.scalars(
                select(Notification)
                .where(Notification.child_id == child.id)
                .order_by(Notification.id)
            )
        )
        with api_transaction():
            audit.record("api_notifications_view", "child", child.id)
        return notifications


def own_child(child_id: str) -> Child:
    """The caller's own child with that id, else the API's 404 (the same for a child of
    another authority as for none: the API does not say which ids exist)."""
    number = row_id(child_id)
    child = db.session.get(Child, number) if number is not None else None
    if child is None or child.responsible_authority_code != current_client().authority_code:
        fail(404, "There is no child with that id.")
    return child


def _placement_of(child: Child, placement_id: str) -> Placement:
    number = row_id(placement_id)
    placement = db.session.get(Placement, number) if number is not None else None
    if placement is None or placement.child_id != child.id:
        fail(404, "This child has no placement with that id.")
    return placement
