"""The unit of work: one use case, one transaction (ARCHITECTURE.md habit 2).

`with uow:` opens a session; the use case reads and writes through the repositories, records its
events and audit rows, and calls `commit()`. Leaving the block without a commit rolls everything
back, so a failed request never leaves a half-written record. Database errors are translated into
the domain error tree here, once.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from teamline.domain.errors import Conflict, Unavailable
from teamline.store.billing import BillingRepository
from teamline.store.callbacks import CallbackJobRepository
from teamline.store.cases import CaseRepository
from teamline.store.concessions import ConcessionRepository
from teamline.store.contract_texts import ContractTextRepository
from teamline.store.conversations import ConversationRepository
from teamline.store.coverage import CoverageRepository
from teamline.store.csat import CsatRepository
from teamline.store.customers import CustomerRepository
from teamline.store.deliveries import WebhookDeliveries
from teamline.store.idempotency import IdempotencyRepository
from teamline.store.journal import Journal
from teamline.store.knowledge import KnowledgeRepository
from teamline.store.orders import OrderRepository
from teamline.store.organisation import OrganisationRepository
from teamline.store.outbound import OutboundRepository
from teamline.store.quality import QualityRepository
from teamline.store.retention import RetentionRepository
from teamline.store.routing import RoutingRepository
from teamline.store.routing_requests import RoutingRequests
from teamline.store.security import SecurityRepository
from teamline.store.threads import ThreadRepository
from teamline.store.tiers import TierRepository
from teamline.store.timeline import TimelineRepository
from teamline.store.unlocks import UnlockRepository
from teamline.store.users import UserRepository
from teamline.store.voice import VoiceRepository


class UnitOfWork:
    session: Session
    customers: CustomerRepository
    organisation: OrganisationRepository
    routing: RoutingRepository
    routing_requests: RoutingRequests
    timeline: TimelineRepository
    users: UserRepository
    journal: Journal
    conversations: ConversationRepository  # messaging (issue 5)
    idempotency: IdempotencyRepository
    outbound: OutboundRepository  # replies leaving by email or social (issue 5)
    threads: ThreadRepository
    deliveries: WebhookDeliveries
    callbacks: CallbackJobRepository  # callbacks and scheduled calls (issue 5)
    voice: VoiceRepository
    tiers: TierRepository  # account care (issue 6)
    concessions: ConcessionRepository
    retention: RetentionRepository
    orders: OrderRepository  # service orders (issue 6 item 9)
    documents: ContractTextRepository  # contract and warranty texts (issue 6 item 8)
    cases: CaseRepository  # cases, SLA clocks, the escalation ladder (issue 7 items 1-2)
    billing: BillingRepository  # billing care (issue 6 item 7)
    quality: QualityRepository  # QA sampling, reviews, calibrations (issue 7 item 3)
    csat: CsatRepository  # satisfaction surveys (issue 7 item 4)
    knowledge: KnowledgeRepository  # articles and saved replies (issue 7 item 5)
    security: SecurityRepository  # login throttles, erasures (issue 9)
    coverage: CoverageRepository  # call records, coverage complaints (issue 6 item 5)
    unlocks: UnlockRepository  # unlock requests (issue 6 item 6)

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.customers = CustomerRepository(self.session)
        self.organisation = OrganisationRepository(self.session)
        self.routing = RoutingRepository(self.session)
        self.routing_requests = RoutingRequests(self.session)
        self.timeline = TimelineRepository(self.session)
        self.users = UserRepository(self.session)
        self.journal = Journal(self.session)
        self.conversations = ConversationRepository(self.session)
        self.idempotency = IdempotencyRepository(self.session)
        self.outbound = OutboundRepository(self.session)
        self.threads = ThreadRepository(self.session)
        self.deliveries = WebhookDeliveries(self.session)
        self.callbacks = CallbackJobRepository(self.session)
        self.voice = VoiceRepository(self.session)
        self.tiers = TierRepository(self.session)
        self.concessions = ConcessionRepository(self.session)
        self.retention = RetentionRepository(self.session)
        self.orders = OrderRepository(self.session)
        self.documents = ContractTextRepository(self.session)
        self.cases = CaseRepository(self.session)
        self.billing = BillingRepository(self.session)
        self.quality = QualityRepository(self.session)
        self.csat = CsatRepository(self.session)
        self.knowledge = KnowledgeRepository(self.session)
        self.security = SecurityRepository(self.session)
        self.coverage = CoverageRepository(self.session)
        self.unlocks = UnlockRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()
        if isinstance(exc, OperationalError):
            raise Unavailable("the database is unavailable; try again shortly") from exc
        if isinstance(exc, IntegrityError):  # a flush inside the use case hit a constraint
            raise Conflict(_conflict_message(exc)) from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(_conflict_message(exc)) from exc


def _conflict_message(exc: IntegrityError) -> str:
    text = str(exc.orig).lower()
    if "identities" in text or "uq_identities" in text:
        return "that identity already belongs to another customer"
    if "users" in text and "email" in text:
        return "a user with that email already exists"
    if "ux_unlock_requests_open_device" in text or "unlock_requests.imei" in text:
        return "an unlock request for this device is open already"
    return "the record conflicts with one that already exists"
