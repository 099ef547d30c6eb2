"""The commodity-chain registry: chains, products at their stages, factors, partners.

* :mod:`hilir.registry.tables` - the shipped registry files, validated on load
  (:func:`chains`, :func:`products`, :func:`factors`, :func:`product_codes`), read by
  :mod:`hilir.registry.files`, checked by :mod:`hilir.registry.rules` and cached by
  :mod:`hilir.registry.validate` (:func:`validate_registry`);
* :mod:`hilir.registry.mapping` - source codes (HS, FAOSTAT items) to registry products;
* :mod:`hilir.registry.gaps` - the products each chain lacks in the shipped data
  (:func:`chain_gaps`), validated;
* :mod:`hilir.registry.queries` - the registry as frames for the models (chains in data,
  a chain's products);
* :mod:`hilir.registry.partners` - country and partner names and codes to ISO codes;
* :mod:`hilir.registry.events` - the policy timeline and the data events, validated (the
  models use them as :func:`hilir.policy.policy_events` and :func:`hilir.policy.data_events`).
"""

from __future__ import annotations

from hilir.registry.gaps import chain_gaps
from hilir.registry.mapping import map_products
from hilir.registry.partners import (
    WORLD,
    normalise_name,
    partner_type_of,
    resolve_numeric,
    resolve_partner,
    resolve_partners,
    resolve_reporter,
)
from hilir.registry.queries import (
    chain_products,
    chain_row,
    chains_in_data,
    known_chains,
    registry_chains,
    registry_products,
)
from hilir.registry.tables import (
    Registry,
    chain_table,
    chains,
    factor_for,
    factors,
    preferred_sources,
    product_codes,
    products,
    refdata_dir,
    validate_registry,
)

__all__ = [
    "WORLD",
    "Registry",
    "chain_gaps",
    "chain_products",
    "chain_row",
    "chain_table",
    "chains",
    "chains_in_data",
    "factor_for",
    "factors",
    "known_chains",
    "map_products",
    "normalise_name",
    "partner_type_of",
    "preferred_sources",
    "product_codes",
    "products",
    "refdata_dir",
    "registry_chains",
    "registry_products",
    "resolve_numeric",
    "resolve_partner",
    "resolve_partners",
    "resolve_reporter",
    "validate_registry",
]
