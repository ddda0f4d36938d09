"""SWF domains: register, list, deprecate."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from floto.api._errors import DomainAlreadyExistsError

if TYPE_CHECKING:
    from floto.api._swf import Swf

log = logging.getLogger("floto.api")


class Domains:
    """The domains of one :class:`~floto.api.Swf` (``swf.domains``)."""

    def __init__(self, swf: Swf) -> None:
        self._swf = swf

    def register_domain(
        self, name: str, description: str = "", retention_period: int | str = "7"
    ) -> bool:
        """Register domain ``name``; True if registered now, False if it already existed.

        Args:
            name: the domain name.
            description: free text (at most 1,024 characters).
            retention_period: days SWF keeps closed executions ("0" to "90").

        Raises:
            SwfError: any error other than "already exists".
        """
        try:
            self._swf._call(
                "register_domain",
                name=name,
                description=description,
                workflowExecutionRetentionPeriodInDays=str(retention_period),
            )
        except DomainAlreadyExistsError:
            log.debug("domain %r already registered", name)
            return False
        return True

    def names(self, registration_status: str = "REGISTERED") -> list[str]:
        """Names of the domains with this status ("REGISTERED" or "DEPRECATED")."""
        pages = self._swf._paged(
            "list_domains", "domainInfos", registrationStatus=registration_status
        )
        return [info["name"] for info in pages]

    def registered_names(self) -> list[str]:
        """Names of all registered domains."""
        return self.names("REGISTERED")

    def deprecated_names(self) -> list[str]:
        """Names of all deprecated domains."""
        return self.names("DEPRECATED")

    def domain_exists(self, name: str) -> bool:
        """Whether ``name`` is a registered domain."""
        return name in self.registered_names()

    def deprecate_domain(self, name: str) -> None:
        """Deprecate domain ``name``."""
        self._swf._call("deprecate_domain", name=name)
