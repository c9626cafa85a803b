#!/usr/bin/env python3
"""Convert the draft calibration (shared/data/ai-2026-baseline.yaml) into the Cascade
scenario format v1 (docs/scenario-format.md): scenarios/ai-2026/baseline.yaml.

The conversion is mechanical except for a list of judgment calls, each declared below as data
(FIRM_FIXES, EXPOSURE_FIXES) with the draft reading, what the baseline does and why. Every
judgment call is written into the output (a `note` on the item, the draft's figure kept in
`facts` or in the note) and into scenarios/ai-2026/CONVERSION.md, which this script also writes.

    python3 tools/convert_draft_baseline.py                 # writes baseline.yaml + CONVERSION.md
    python3 tools/convert_draft_baseline.py --check         # only prints the tick-1 coherence table
    python3 tools/convert_draft_baseline.py --draft PATH --out DIR

Before writing, the script checks the converted scenario the way engine/model/derive.cc will:
at tick 1 no firm's network flows (receipts, service and lease payments, capex orders, debt owed,
claims and stakes held) may exceed the reported total they are part of. It stops with an error
if one does, so the generated baseline never relies on the engine's "remainder set to 0" rule.

Requires Python 3.9+ and PyYAML.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DRAFT_CANDIDATES = [
    REPO.parent / "shared" / "data" / "ai-2026-baseline.yaml",
    REPO / ".." / "shared" / "data" / "ai-2026-baseline.yaml",
]
DEFAULT_OUT = REPO / "scenarios" / "ai-2026"

SEEDS = {
    "000": "000_43939049e0a24a28.txt",
    "001": "001_d1f86089409eb712.txt",
    "002": "002_7d3af1b88200debb.txt",
    "003": "003_64e684dba9363d6b.txt",
}

# ----------------------------------------------------------------------------------------------
# Plain mappings from draft to format v1
# ----------------------------------------------------------------------------------------------

#: draft firm field -> format field (balance sheet and flows the engine uses)
FIRM_FIELDS = {
    "cash": "cash",
    "hardware_assets": "hardware",
    "other_assets": "other_assets",
    "debt": "debt",
    "lease_liabilities": "lease_liabilities",
    "equity": "equity",
    "market_cap": "market_cap",
    "revenue": "revenue",
    "ai_revenue": "ai_revenue",
    "opex": "opex",
    "capex": "capex",
}
FIRM_KEYS_PLAIN = {"id", "name", "type", "note"}

#: draft exposure keys that keep their name in format v1
EXPOSURE_KEYS_KEPT = [
    "id", "kind", "from", "to", "status", "form", "beneficiary", "basis", "share_pct", "amount",
    "annual", "term_years", "spread_pct", "value_estimate", "overlaps", "loop", "note",
]
#: output key order of an exposure
EXPOSURE_ORDER = [
    "id", "kind", "from", "to", "status", "start_tick", "purpose", "form", "beneficiary", "seniority",
    "basis", "share_pct", "amount", "annual", "term_years", "rate_pct", "spread_pct", "collateral",
    "ltv_max", "take_or_pay", "value_estimate", "overlaps", "loop", "note",
]
FIRM_ORDER = [
    "id", "name", "type", "cash", "hardware", "other_assets", "debt", "lease_liabilities", "equity",
    "market_cap", "revenue", "ai_revenue", "opex", "capex", "hardware_life_years", "params", "facts", "note",
]

# Every key format v1 accepts (docs/scenario-format.md); checked on the output.
FORMAT_TOP = {"format", "scenario", "include", "simulation", "parameters", "channels",
              "agent_defaults", "firms", "exposures", "shocks", "networks", "loops", "projects", "facts"}
FORMAT_SCENARIO = {"name", "description", "version", "as_of"}
FORMAT_SIMULATION = {"horizon_ticks", "ticks_per_year", "seed"}
FORMAT_FIRM = set(FIRM_ORDER)
FORMAT_EXPOSURE = set(EXPOSURE_ORDER)
FORMAT_LOOP = {"id", "name", "edges", "source", "note"}
FORMAT_FIRM_TYPES = {"chipmaker", "memory_maker", "hyperscaler", "neocloud", "ai_lab", "spv", "bank",
                     "private_credit", "bond_investor", "conglomerate", "miner"}
FORMAT_KINDS = {"loan", "bond", "collateralised_loan", "credit_line", "lease", "purchase_commitment",
                "revenue_share", "equity_stake", "warrant", "guarantee", "vendor_financing"}
FORMAT_STATUSES = {"outstanding", "contract", "loi", "proposed", "doubtful", "settled"}
AGENT_KNOBS = {  # engine/model/agent_params.cc: name -> (min, max)
    "revenue_growth_per_year": (-1.0, 10.0), "revenue_volatility_per_year": (0.0, 5.0),
    "opex_growth_per_year": (-1.0, 10.0), "capex_growth_per_year": (-1.0, 10.0),
    "liquidity_buffer_months": (0.0, 120.0), "capex_cut_fraction": (0.0, 1.0),
    "cancel_nonbinding_when_distressed": (0.0, 1.0), "bond_issue_usd_bn_per_year": (0.0, math.inf),
    "max_leverage_fraction": (0.0, 10.0), "equity_raise_usd_bn_per_year": (0.0, math.inf),
    "hardware_sale_haircut_fraction": (0.0, 1.0), "securities_sale_haircut_fraction": (0.0, 1.0),
    "rollover_capital_loss_limit_fraction": (0.0, 10.0), "capex_revenue_elasticity": (0.0, 5.0),
    "max_stress_to_lend": (0.0, 1.0), "cost_of_sales_fraction": (0.0, 1.0),
    "gpu_share_of_hardware_fraction": (0.0, 1.0), "payout_fraction_of_fcf": (0.0, 1.0), "sells_compute": (0.0, 1.0),
}

DEBT_KINDS = {"loan", "bond", "collateralised_loan", "credit_line"}
STREAM_KINDS = {"lease", "purchase_commitment", "revenue_share"}
SECURITY_KINDS = {"equity_stake", "warrant"}
LENDER_TYPES = {"bank", "private_credit", "bond_investor"}
ENFORCED = {"outstanding", "contract"}
DEFAULT_DEBT_RATE_PCT = 6.0  # parameters.default_debt_rate_pct (not overridden here)

# ----------------------------------------------------------------------------------------------
# Timeline and simulation settings
# ----------------------------------------------------------------------------------------------

SIMULATION = {"horizon_ticks": 60, "ticks_per_year": 12, "seed": 20260701}
TICK1 = "July 2026"  # tick 0 = the draft's as-of state (mid-2026); tick t = month t from July 2026

# Commencement of the uncommenced Oracle capacity (003: 260bn of leases signed but not commenced;
# data centres take 18-34 months (003)).
START_VANTAGE = 13   # July 2027
START_ORACLE_OTHER = 19  # January 2028
START_AMD = 7        # January 2027

# ----------------------------------------------------------------------------------------------
# Judgment calls
# ----------------------------------------------------------------------------------------------


@dataclass
class Fix:
    """One judgment call on one field of one firm or exposure.

    `new` is the new value (a number for figure fields, else a plain value); `None` removes the
    field. `draft` is what the draft says, `does` what the baseline does, `why` the reason.
    """
    field: str
    new: Any
    draft: str
    does: str
    why: str
    source: str = "assumption"
    comment: str = ""  # short YAML comment written above the field


def fx(field_: str, new: Any, draft: str, does: str, why: str, source: str = "assumption", comment: str = "") -> Fix:
    return Fix(field_, new, draft, does, why, source, comment)


# Judgment calls on exposures. Keyed by exposure id; applied in order.
EXPOSURE_FIXES: dict[str, list[Fix]] = {
    "E39": [fx("status", "settled",
               "Nvidia -> xai_spv purchase commitment of 20 over 1 year, status contract",
               "status settled (kept in the network for loop L6, no cash flow)",
               "The SPV's hardware is already 20 (000: the SPV raised 20bn to buy Nvidia chips), so the chips "
               "were bought and paid before tick 0. A binding commitment would make the SPV pay Nvidia 20 a second "
               "time from tick 1 out of 0 cash.",
               comment="conversion: chips already delivered and paid (hardware 20)")],
    "E11": [fx("start_tick", START_VANTAGE,
               "Vantage SPV -> Oracle lease, 60 over 15 years (4/yr), status contract, part of Oracle's 260bn "
               "'signed but not commenced' (003)",
               f"start_tick {START_VANTAGE} (July 2027)",
               "An uncommenced lease pays nothing until the building is handed over. Data centres take 18-34 "
               "months (003); the 38bn Texas/Wisconsin financing was already in place when 001 was written (Nov 2025), so +18..26 months from autumn 2025 "
               "puts handover in Q2-Q4 2027: tick 13 (July 2027).",
               comment="conversion: uncommenced lease, starts when the campuses are handed over")],
    "E13": [fx("start_tick", START_ORACLE_OTHER,
               "other developers -> Oracle lease, 200 over 15 years, status contract, rest of the 260bn not "
               "commenced (003)",
               f"start_tick {START_ORACLE_OTHER} (January 2028)",
               "Uncommenced leases signed over Oracle's FY2026 (June 2025 - May 2026; 003 reports 260bn at "
               "FY2026 end) plus the middle of the 18-34 month build time (003) gives handovers centred on "
               "late 2027 - mid 2028; one start tick for the aggregate: tick 19 (January 2028), inside the "
               "12-24 tick window.",
               comment="conversion: uncommenced leases (aggregate), centre of the handover window")],
    "E05": [fx("start_tick", START_VANTAGE,
               "Oracle -> OpenAI purchase commitment 300 over 5 years (60/yr), status contract",
               f"start_tick {START_VANTAGE} (July 2027), aligned with E11",
               "OpenAI pays for Oracle capacity once it is delivered; Oracle is still building the 7.1 GW "
               "(003: >=340bn), on leases that have not commenced (E11, E13). Read literally from tick 1 the "
               "60/yr would be 90% of Oracle's reported revenue of 67 (which has no OpenAI compute in it yet: "
               "'two thirds of FUTURE revenue', 001) and 4.6x OpenAI's revenue. Public reporting has the "
               "contract starting in Oracle's FY2028 (mid-2027).",
               comment="conversion: starts when the first Stargate capacity is delivered (with E11)")],
    "E03": [fx("start_tick", START_AMD,
               "AMD -> OpenAI purchase commitment 100 over 5 years, status contract (chips, i.e. capex)",
               f"start_tick {START_AMD} (January 2027); purpose capex",
               "The first of the deal's deployments starts in the second half of 2026 (public order). AMD's "
               "reported revenue of 34 (2025) contains no OpenAI sales, and OpenAI's reported capex is 0, so "
               "the payments are new flows that start after tick 1, not part of either total.",
               comment="conversion: deployments start H2 2026; first payments January 2027"),
            fx("purpose", "capex", "(no purpose; supplier is a chipmaker)", "purpose capex (explicit)",
               "Chips: OpenAI capitalises them. Same as the format's default for a chipmaker supplier; written "
               "out for readability.")],
    "E06": [fx("overlaps", None, "overlaps: [E02]",
               "overlaps removed here; E02 keeps overlaps [E06, E24, E30]",
               "In format v1 `overlaps` is directional: the listed exposures carry part of THIS one, whose "
               "effective amount is reduced by theirs. The draft lists the overlap both ways; kept both ways, "
               "E06 (220) would be reduced by E02 (350) to 0 and Oracle's binding chip purchases would vanish "
               "while E02 is only a letter of intent. The umbrella loi E02 keeps the list (effective 60).",
               comment="conversion: overlap with E02 is declared on E02 (directional in format v1)"),
            fx("purpose", "capex", "(no purpose)", "purpose capex", "Chips bought by Oracle for the OpenAI "
               "data centres (001): hardware it capitalises, out of its capex.")],
    "E24": [fx("overlaps", None, "overlaps: [E02]", "overlaps removed here; declared on E02",
               "Same as E06: directional overlaps in format v1.",
               comment="conversion: overlap with E02 is declared on E02 (directional in format v1)"),
            fx("purpose", "capex", "annual Nvidia orders, term 1", "purpose capex",
               "The current year's hardware orders out of Microsoft's capex of 140.")],
    "E30": [fx("overlaps", None, "overlaps: [E02]", "overlaps removed here; declared on E02",
               "Same as E06: directional overlaps in format v1.",
               comment="conversion: overlap with E02 is declared on E02 (directional in format v1)"),
            fx("purpose", "capex", "annual GPU orders, term 1", "purpose capex",
               "The current year's GPU orders out of CoreWeave's capex of 13.")],
    "E47": [fx("purpose", "capex", "annual Nvidia orders, term 1", "purpose capex",
               "The current year's hardware orders out of Amazon's capex of 125.")],
    "E56": [fx("purpose", "capex", "annual Nvidia orders, term 1", "purpose capex",
               "The current year's hardware orders out of Google's capex of 93.")],
    "E70": [fx("purpose", "capex", "annual Nvidia orders, term 1", "purpose capex",
               "The current year's hardware orders out of Meta's capex of 72.")],
    "E79": [fx("purpose", "capex", "annual server DRAM/SSD, term 1", "purpose capex",
               "Server memory is part of Microsoft's capex.")],
    "E80": [fx("purpose", "capex", "annual server DRAM/SSD, term 1", "purpose capex",
               "Server memory is part of Google's capex.")],
    "E81": [fx("purpose", "capex", "annual memory orders, term 1", "purpose capex",
               "Server memory is part of Amazon's capex.")],
    "E82": [fx("purpose", "capex", "annual memory orders, term 1", "purpose capex",
               "Server memory is part of Meta's capex.")],
    "E86": [fx("purpose", "capex", "annual GPU orders, term 1", "purpose capex",
               "The current year's GPU orders out of the other neoclouds' capex of 15.")],
    "E78": [fx("purpose", "service",
               "memory makers -> Nvidia, annual HBM supply 35, term 1",
               "purpose service (expensed: Nvidia's cost of goods, inside its opex)",
               "HBM is an input Nvidia sells on inside its systems, not equipment it keeps: cost of goods, "
               "not capex. As capex it would be 35 against Nvidia's reported capex of 6; as cost of goods it "
               "sits inside Nvidia's opex (COGS ~30% of revenue per the draft).",
               comment="conversion: HBM is Nvidia's cost of goods, not its capex; a 5-year supply stream"),
            fx("term_years", 5,
               "term 1 ('annual HBM supply')",
               "term_years 5 (the horizon) at the same 35/yr; amount 175",
               "The draft's one-year figure stands for a recurring supply relationship. The engine keeps "
               "one-year CAPEX orders going after they expire (each supplier keeps its share of the buyer's "
               "capex plan), but not service streams: with term 1 the memory makers would lose 35/yr at tick 13 "
               "in every run, shock or not. Exit terms stay one year of payments (parameters."
               "contract_claim_years 1). Trade-off: Nvidia's HBM purchases do not react to its own sales (see "
               "S9 in README).", comment="conversion: recurring supply, booked over the horizon"),
            fx("amount", 175, "amount 35", "amount 175 (= 35 x 5)", "amount = annual x term for the 5-year "
               "stream; the annual pace stays the draft's 35.")],
    "E22": [fx("term_years", 14.53,
               "Microsoft -> OpenAI Azure commitment: amount 250, annual 17.2, term 7 (17.2 x 7 = 120, not 250)",
               "term_years 14.53 = 250 / 17.2; amount and annual unchanged",
               "amount must equal annual x term (total remaining contracted payments). The annual 17.2 is the "
               "seed's 2025 Azure spend (003) and is kept; the 250 commitment (public order) is kept; the "
               "term is what gives. The real contract ramps up, which a flat stream cannot express; over the "
               "60-tick horizon OpenAI pays 17.2/yr either way.",
               comment="conversion: term = amount / annual")],
    "E23": [fx("amount", 18.2,
               "Microsoft revenue share from OpenAI: amount 2.6 'per year', term 7",
               "amount 18.2 (= 2.6 x 7), annual 2.6, term 7",
               "The draft gives the yearly payment as `amount`; in format v1 `amount` of a stream is the total "
               "remaining payments, so read literally OpenAI would pay 0.37/yr instead of 2.6/yr.",
               comment="conversion: amount is the 7-year total; the yearly share is `annual`"),
            fx("annual", 2.6, "(none)", "annual 2.6", "The draft's per-year figure: ~20% of OpenAI revenue "
               "(public order) x 13.04 (003).", source="003_64e684dba9363d6b.txt + assumption")],
    "E67": [fx("amount", 40,
               "Meta Hyperion SPV -> Meta lease: amount 27, annual 2.5, term 16 (2.5 x 16 = 40)",
               "amount 40 (= 2.5 x 16); annual and term unchanged",
               "amount must equal annual x term. The draft's 27 is the SPV's debt (what the rent is sized to "
               "service), not the contracted rent. The rent (2.5/yr) is what the SPV's revenue of 2.5 and its "
               "debt service rest on, so annual and term are kept.",
               comment="conversion: amount = annual x term")],
    "E01": [fx("term_years", 10,
               "Nvidia -> OpenAI vendor financing 'up to 100', annual 10, term 5 (10 x 5 = 50)",
               "term_years 10 (= 100 / 10); status stays loi (no flows unless a scenario enforces loi)",
               "amount must equal annual x term. The annual 10 is the seed's 10bn per GW (001) at ~1 GW per "
               "year; the 'up to 100' is the seed's; the term is what gives.",
               comment="conversion: term = amount / annual")],
    "E35": [fx("kind", "collateralised_loan", "loan with collateral: gpus",
               "collateralised_loan (secured by default), collateral 18, ltv_max 0.8",
               "Format v1 has a kind for GPU-backed debt. collateral = principal 9 / LTV 0.5, the LTV at "
               "origination implied by the draft's GPU collateral haircut of 0.5 (asset_params); 18 <= "
               "CoreWeave's hardware of 30.",
               comment="conversion: GPU-backed loan"),
            fx("collateral", 18, "collateral: gpus", "collateral 18", "principal 9 / LTV 0.5 (draft asset_params."
               "gpu_collateral_haircut 0.5)"),
            fx("ltv_max", 0.8, "(none)", "ltv_max 0.8", "Covenant level assumed for GPU-backed facilities "
               "(loan/collateral above 0.8 breaches); none in the seeds. Stored for the collateral channel (S5).")],
    "E41": [fx("kind", "collateralised_loan", "loan with collateral: gpus",
               "collateralised_loan, collateral 20 (all SPV hardware), ltv_max 0.8",
               "principal 12.5 / LTV 0.5 = 25 exceeds the SPV's hardware of 20; an SPV pledges everything it "
               "owns, so collateral = 20 (initial LTV 0.625).",
               comment="conversion: GPU-backed loan; the SPV pledges all its GPUs"),
            fx("collateral", 20, "collateral: gpus", "collateral 20", "min(principal 12.5 / LTV 0.5, SPV hardware "
               "20): the SPV pledges all of its GPUs."),
            fx("ltv_max", 0.8, "(none)", "ltv_max 0.8", "Covenant level assumed (see E35).")],
    "E84": [fx("kind", "collateralised_loan", "loan with collateral: gpus (Fluidstack-style chip loans, 001)",
               "collateralised_loan, collateral 15 (all hardware), ltv_max 0.8",
               "principal 8 / LTV 0.5 = 16 exceeds the aggregate's hardware of 15, so the whole fleet is "
               "pledged (initial LTV 0.53).",
               comment="conversion: GPU-backed loan; the whole fleet is pledged"),
            fx("collateral", 15, "collateral: gpus", "collateral 15", "min(principal 8 / LTV 0.5, hardware 15)."),
            fx("ltv_max", 0.8, "(none)", "ltv_max 0.8", "Covenant level assumed (see E35).")],
}
for _eid, _share in (("E08", 9.5), ("E09", 9.5), ("E10", 19)):
    EXPOSURE_FIXES[_eid] = [
        fx("seniority", "secured", "loan (no seniority)", "seniority secured",
           "001: 'two senior secured credit facilities' (23.25 Texas + 14.75 Wisconsin).",
           source=SEEDS["001"], comment="conversion: senior secured facility (001), priced at reference + 2.5pp"),
        fx("collateral", _share, "(none)", f"collateral {_share} (= principal)",
           "The facilities are secured on the campuses they fund; each lender's share of the SPV's "
           "loan-funded construction is its principal (the three add up to 38 <= SPV hardware)."),
        fx("rate_pct", 6.3, "spread_pct 2.5 over reference rates", "rate_pct 6.3",
           "macro.reference_rate_pct 3.8 (assumption) + the seed's 2.5pp (001); spread_pct kept as a fact.",
           source=SEEDS["001"] + " + assumption"),
    ]


# Judgment calls on firms.
FIRM_FIXES: dict[str, list[Fix]] = {
    # The AI-capex cycle: the part of a compute seller's revenue earned from end demand for AI,
    # outside its network contracts (docs/model.md, "The AI-capex cycle"). The draft has none.
    "microsoft": [fx("ai_revenue", 11, "(none: the draft has no AI revenue)",
                     "ai_revenue 11 (= annualised AI revenue 37 less the 25.8/yr its network contracts pay at "
                     "tick 1: E22 17.2 and E23 2.6 from OpenAI, E61 6 from Anthropic)",
                     "003: annualised AI revenue of 37 in April 2026. The network carries OpenAI's and Anthropic's "
                     "Azure contracts; the rest is sold to end demand. OpenAI's share then comes out at 54% against "
                     "003's ~70% (the draft's E61 adds Anthropic's deal of Nov 2025).", source="003_64e684dba9363d6b.txt")],
    "amazon": [fx("ai_revenue", 20, "(none: the draft has no AI revenue)",
                  "ai_revenue 20 (assumption: AWS AI services outside the network's contracts)",
                  "No seed figure for AWS's AI revenue; 003 puts OpenAI's and Anthropic's compute spend at 20% or "
                  "more of the three clouds' revenue, and Amazon's claimed 10 of annualised Rufus revenue (003, "
                  "disputed) is of the same order. Set equal to Microsoft's non-OpenAI part."),
               fx("opex", 598, "opex 620 (revenue - operating income ~80bn)",
                  "opex 598 (= 620 less ~22 of stock-based compensation, non-cash); cash opex 559.63 after "
                  "depreciation",
                  "Amazon's 2025 free cash flow was positive (operating cash flow ~130 against capex ~115-125, "
                  "public order); with 581.63 of cash opex it runs out of cash by tick 20 of a no-shock run and "
                  "strands its builds. Stock-based compensation (~22 in 2024, public order) is part of the draft's "
                  "opex but paid in shares.")],
    "google": [fx("ai_revenue", 20, "(none: the draft has no AI revenue)",
                  "ai_revenue 20 (assumption: Google Cloud AI outside the network's contracts)",
                  "No seed figure; 003's 20% share of cloud revenue from the labs and Microsoft's non-OpenAI AI "
                  "revenue (~17) give the order of magnitude.")],
    "oracle": [fx("ai_revenue", 5, "(none: the draft has no AI revenue)",
                  "ai_revenue 5 (assumption: OCI AI customers outside OpenAI)",
                  "001: two thirds of Oracle's future revenue is OpenAI's (in the network); its other AI cloud "
                  "customers are small today.")],
    "memory_makers": [fx("type", "memory_maker", "type chipmaker (the draft had no memory-maker type)",
                         "type memory_maker",
                         "Format v1 has a memory_maker type (bullwhip channel, S9); same purchase-commitment "
                         "default (capex) as a chipmaker.")],
    "nvidia": [
        fx("revenue", 228,
           "revenue 210 (assumption: FY2026 to Jan 2026 ~200-216)",
           "revenue 228 (mid-2026 run-rate); opex scaled in proportion (85 -> 92.3)",
           "The draft's own tick-1 orders from network customers add up to 212 (E06 44 + E24 60 + E30 10 + E47 "
           "30 + E56 25 + E70 35 + E86 8), more than 210, leaving nothing for gaming, automotive, sovereign and "
           "other data-centre buyers. 228 = Q3 FY2026 revenue of 57.0 x 4 (public order; the '57bn' in a 001 "
           "headline), the run-rate at the as-of date rather than the previous fiscal year."),
        fx("opex", 92.3, "opex 85 (COGS ~30% of revenue + ~20bn operating expenses)",
           "opex 92.3 (= 85 x 228/210)", "Keeps the draft's cost/revenue ratio when revenue moves to run-rate."),
    ],
    "coreweave": [
        fx("revenue", 12.5,
           "revenue 5.1 (assumption: 2025)",
           "revenue 12.5 (= its contracts' tick-1 payments of 12.41, rounded up); opex scaled (4.9 -> 12.0)",
           "The draft's own customer contracts pay 12.41/yr at tick 1 (E25 3.33, E29 0.9, E31 4.48, E32 2.37, "
           "E33 1.0, E34 0.33) against a 2025 revenue of 5.1. 003 says all of CoreWeave's revenue comes from "
           "Microsoft, Nvidia, Google, Anthropic, Meta and OpenAI, all of them in the network, so the tick-1 "
           "total is the contract run-rate (external remainder ~0)."),
        fx("opex", 12.0, "opex 4.9 (2025)", "opex 12.0 (= 4.9 x 12.5/5.1)",
           "Keeps the draft's 2025 cost/revenue ratio (0.96) at the contracted scale."),
    ],
    "other_neoclouds": [
        fx("revenue", 7.6,
           "revenue 3 (assumption)",
           "revenue 7.6 (= contracts' tick-1 payments); opex scaled (3.5 -> 8.9)",
           "Its contracts with Microsoft (E26, 35 over 5 years: 7/yr) and Meta (E87, 0.6/yr) alone exceed the "
           "draft's revenue of 3; 003: these firms' backlogs exist only with hyperscaler (or Meta) backing."),
        fx("opex", 8.9, "opex 3.5", "opex 8.9 (= 3.5 x 7.6/3, rounded)",
           "Keeps the draft's cost/revenue ratio (1.17: loss-making) at the contracted scale."),
    ],
    "anthropic": [
        fx("opex", 20,
           "opex 8 (assumption: ~3bn 2025 burn on revenue 5)",
           "opex 20 (= 2025 opex 8 + the 2026 compute contracts signed in late 2025: E50 6/yr + E61 6/yr)",
           "Its compute contracts pay 16.1/yr at tick 1 (E34 0.33, E45 3.75, E50 6, E61 6), twice the 2025 "
           "opex. The Google TPU (E50) and Azure (E61) deals were signed in Oct-Nov 2025 and cannot be in the "
           "2025 cost base; 003 even puts Anthropic's 2026 compute spend at ~50 (author est.), so 20 is a "
           "conservative tick-1 run-rate. Revenue stays 5 (no seed figure for 2026; growth comes from the "
           "ai_lab behaviour knobs)."),
    ],
    "openai": [
        fx("other_assets", 45,
           "other_assets 10 (assumption)",
           "other_assets 45 (= 10 + the AMD warrant E04 at 35)",
           "Firm totals include the stakes the firm holds in the network; the draft lists OpenAI's warrant on "
           "10% of AMD (E04, 35 at value) but its other_assets of 10 leave no room for it."),
    ],
    "meta_hyperion_spv": [
        fx("capex", 0,
           "capex 10 ('still under construction'), cash 0.5",
           "capex 0; the draft's 10 kept as fact construction_spend_per_year",
           "The SPV's hardware (29.5) already counts the build funded by its 27 of debt and its equity, so "
           "spending 10/yr more would pay for it twice, out of 0.5 of cash, and an SPV has no funding source "
           "but its lines and hardware sales: it would be distressed at tick 1. The engine has no "
           "construction-draw account; the funded build is the hardware."),
        fx("hardware", 29.6,
           "hardware 29.5 (= 27 debt + ~2.5 equity), equity 3.1 (Blue Owl 2.5 + Meta 0.6), cash 0.5",
           "hardware 29.6 so that cash + hardware = debt + equity (0.5 + 29.6 = 27 + 3.1)",
           "With 29.5 the reported equity exceeds assets minus debt by 0.1 (the draft counted Blue Owl's 2.5 "
           "but not Meta's 0.6 or the cash)."),
    ],
    "vantage_oracle_spv": [
        fx("capex", 0,
           "capex 19 ('38 spent over ~2 years of construction')",
           "capex 0; the draft's 19 kept as fact construction_spend_per_year",
           "Same as meta_hyperion_spv: the 38 of hardware is the loan-funded construction itself."),
        fx("revenue", 0,
           "revenue 4.5 ('Oracle rent once commenced')",
           f"revenue 0 until the Oracle lease (E11) commences at tick {START_VANTAGE}",
           "The draft's 4.5 is the future rent. Kept as a total from tick 1 while E11 starts later, the engine "
           "would pay the SPV 4.5/yr of phantom external revenue and then E11's 4/yr on top."),
        fx("cash", 4,
           "cash 1",
           "cash 4 (1 + a 3bn interest reserve), hardware 42 (see below)",
           "With no rent for 12 ticks and 38 of debt at 6.3% (2.4/yr) plus opex 0.3/yr, 1 of cash runs out in "
           "five months and the SPV would fire-sell its campuses. Construction loans carry an interest "
           "reserve (or capitalise interest) until handover; modelled as 3 of the funded money held in cash."),
        fx("hardware", 42,
           "hardware 38 ('loan-funded construction; sponsor equity not included'), equity 8",
           "hardware 42 = 38 of debt + 8 of sponsor equity - 4 of cash",
           "With hardware 38 the reported equity of 8 exceeds assets minus debt (39 - 38 = 1); the sponsor's "
           "equity funded construction too, so it belongs in the hardware, less the cash held back as the "
           "interest reserve."),
    ],
    "dc_developers_other": [
        fx("capex", 0,
           "capex 40, cash 3, revenue 6",
           "capex 0; the draft's 40 kept as fact construction_spend_per_year",
           "Same reasoning as the other SPVs: hardware 80 = the funded build (debt 55 + equity 28 - cash 3); "
           "40/yr of further building out of 3 of cash (and no debt-issuance route for SPVs in the agents) "
           "would break the SPV at tick 1. The uncommenced Oracle leases it will build for (E13) start at "
           f"tick {START_ORACLE_OTHER}; their construction money is outside the model (see CONVERSION.md, open items)."),
    ],
}

# Book lives of hardware where the engine's default of 6 years does not fit the asset mix.
HARDWARE_LIFE: dict[str, tuple[float, str, str]] = {}
_HYPERSCALER_LIFE = (
    8.6, "001_d1f86089409eb712.txt + assumption",
    "conversion: blended book life of a hyperscaler's hardware. 001: ~60% of (Google's) capex goes to "
    "GPUs and servers, ~40% to facilities and data-centre equipment; servers 6 years (draft "
    "asset_params.gpu_book_life_years), facilities ~25 years (assumption, public order) -> "
    "1 / (0.6/6 + 0.4/25) = 8.6 years. Gives tick-1 depreciation close to reported D&A (Microsoft ~24, "
    "Google ~26, Meta ~20, Oracle ~10).")
_DC_LIFE = (
    25, "assumption",
    "conversion: this vehicle owns data-centre buildings, power and cooling (the tenant owns the "
    "servers), which depreciate over ~20-30 years (public order), not the 6-year server life.")
for _f in ("microsoft", "google", "amazon", "meta", "oracle"):
    HARDWARE_LIFE[_f] = _HYPERSCALER_LIFE
for _f in ("meta_hyperion_spv", "vantage_oracle_spv", "dc_developers_other"):
    HARDWARE_LIFE[_f] = _DC_LIFE

#: Firm types whose draft opex is "revenue - operating income" of reported accounts, i.e. includes D&A.
#: (AI labs' opex are loss/burn figures, SPVs' are cash running costs, lenders have no hardware.)
OPEX_INCLUDES_DA = {"chipmaker", "memory_maker", "hyperscaler", "neocloud", "miner", "conglomerate"}
DEFAULT_LIFE_YEARS = 6.0
DEPOSIT_RATE_PCT = 2.5  # parameters.deposit_rate_pct (default, not overridden): lenders' outside liabilities


# Behaviour knobs (docs/agents.md / engine/model/agent_params.h). Each value: (value, comment).
AGENT_DEFAULTS: dict[str, dict[str, tuple[float, str]]] = {
    "hyperscaler": {
        "capex_growth_per_year": (0.10, "derived (003 + 001): BIS, top-5 AI capex >1tn over 2025-2026 vs "
                                        "~476 in 2025 (draft capex 140+93+125+72+46) -> 2026 >= ~524, +10%"),
        "bond_issue_usd_bn_per_year": (60, "001: Meta's 30bn bond in autumn 2025 was one deal of several; the four "
                                           "largest hyperscalers sold bonds of that order each in late 2025 (public "
                                           "order). The type default of 30/yr left Amazon, whose capex exceeds its "
                                           "operating cash flow, short of cash by tick 20 of a no-shock run and "
                                           "stranded its builds"),
    },
    "neocloud": {
        "opex_growth_per_year": (0.0, "assumption, for consistency: all of a neocloud's revenue here is fixed "
                                      "contracts with network customers (003), which do not grow, so the costs of "
                                      "serving them should not either. The type default (+40%/yr) goes with +50%/yr "
                                      "revenue growth, which the engine applies only to external revenue (~0 "
                                      "here); kept, it made CoreWeave and the other neoclouds insolvent by tick "
                                      "22-32 in a no-shock run"),
    },
    "spv": {
        "max_leverage_fraction": (1.0, "000: an SPV borrows against its tenant's long-term lease and is rated on "
                                       "the tenant's credit (the 4-step SPV mechanism), so its lenders refinance it "
                                       "while its book equity is positive, not only below the type default of 0.9 "
                                       "debt/assets. Without this the Vantage SPV (debt 38 on ~40 of book assets "
                                       "after depreciation) cannot roll its 4-year facilities at tick 48 in a "
                                       "no-shock run"),
    },
    "ai_lab": {
        "equity_raise_usd_bn_per_year": (40, "000: SoftBank led OpenAI's 40bn round in 2025. Set for the whole "
                                             "type (not per firm) so that S8 can shut it with one agent_defaults "
                                             "override; for Anthropic and xAI an assumption (rounds of that order "
                                             "in 2025-26, public order)"),
    },
}
FIRM_PARAMS: dict[str, dict[str, tuple[float, str]]] = {
    "openai": {
        "revenue_growth_per_year": (1.0, "assumption: ~doubling per year. 2025 revenue 13.04 (003) after ~3.7 in "
                                         "2024 (public order, x3.5); 003's projected 2026 compute spend of 50 and "
                                         "the 300bn Oracle deal presume revenue keeps multiplying. The baseline "
                                         "assumes OpenAI's own plan; S8 derates it"),
        "equity_raise_usd_bn_per_year": (100, "assumption: OpenAI's 1.4tn of compute commitments (001) cannot be "
                                              "met from revenue; its plan rests on rounds far above 2025's 40bn "
                                              "(000): rounds of ~100bn were reported in talks for 2026 (public "
                                              "order). With the type's 40/yr it runs out of runway at tick 25 of a "
                                              "no-shock run; S8 shuts the window through sentiment"),
    },
    "microsoft": {
        "payout_fraction_of_fcf": (0.5, "public order: FY2025 dividends ~25bn + buybacks ~18bn on free cash flow ~72bn"),
    },
    "google": {
        "payout_fraction_of_fcf": (0.9, "public order: 2024 buybacks ~62bn + dividends ~7bn on free cash flow ~73bn"),
    },
    "amazon": {
        "payout_fraction_of_fcf": (0.0, "public order: no dividend, buybacks negligible since 2022"),
    },
    "nvidia": {
        "payout_fraction_of_fcf": (0.55, "public order: FY2025 buybacks ~34bn + dividends ~1bn on free cash flow ~61bn"),
    },
    "oracle": {
        "max_leverage_fraction": (0.8, "003: Oracle carries 129.5bn of debt and 38bn of leases (debt/assets ~0.65 at tick 0, "
                                       "above the hyperscaler default of 0.5) and kept raising debt through FY2026 "
                                       "(FCF -23.7); its lenders evidently accept a higher ratio"),
    },
    "meta": {
        "capex_growth_per_year": (0.24, "001: 2026 capex to rise by up to 24% (70-72 -> ~90)"),
        "payout_fraction_of_fcf": (0.65, "public order: 2024 buybacks ~30bn + dividends ~5bn on free cash flow ~54bn"),
        "sells_compute": (0.0, "001: Meta builds for its own products and sells no cloud compute; its AI returns are "
                               "in its advertising revenue, which stays exogenous"),
    },
    "xai_spv": {
        "gpu_share_of_hardware_fraction": (1.0, "000: the SPV's 20bn bought Nvidia GPUs leased to xAI; nothing else"),
    },
    "meta_hyperion_spv": {
        "gpu_share_of_hardware_fraction": (0.1, "assumption: a data-centre campus leased to Meta (001's 27bn private "
                                                "capital); Meta installs most of the GPUs itself"),
    },
    "vantage_oracle_spv": {
        "gpu_share_of_hardware_fraction": (0.0, "001: Vantage builds and operates the campuses; Oracle buys the chips "
                                                "(E06), so the SPV owns buildings and power, not GPUs"),
    },
    "dc_developers_other": {
        "gpu_share_of_hardware_fraction": (0.0, "assumption: build-to-suit developers own shells and power, tenants "
                                                "own the GPUs (as Vantage, 001)"),
    },
    "crypto_miners": {
        "cost_of_sales_fraction": (0.0, "assumption, for consistency: the draft's miner figures leave a cash opex "
                                        "of 0.07/yr, less than the type default's cost of selling 1/yr of hosting "
                                        "to Google (E53); their running costs are taken as already in that opex"),
    },
    "coreweave": {
        "bond_issue_usd_bn_per_year": (9, "001: ~25bn of public debt and equity raised since 2024 (~2 years); "
                                          "the draft reads ~18 of it as debt -> ~9/yr"),
        "equity_raise_usd_bn_per_year": (3.5, "001: the rest of the ~25bn (~7) was equity -> ~3.5/yr"),
    },
}

# ----------------------------------------------------------------------------------------------
# Reading the draft
# ----------------------------------------------------------------------------------------------


def find_draft(path: str | None) -> Path:
    if path:
        return Path(path)
    for p in DEFAULT_DRAFT_CANDIDATES:
        if p.exists():
            return p.resolve()
    sys.exit("cannot find the draft; pass --draft PATH (expected shared/data/ai-2026-baseline.yaml)")


def section_comments(text: str) -> dict[str, list[str]]:
    """Comment lines that precede a `- id: X` item in the draft (group and loop headings)."""
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"^-\s+id:\s*(\S+)", s)
        if s.startswith("#") and line.startswith("  #"):
            pending.append(s)
        elif m:
            if pending:
                out[m.group(1)] = pending
            pending = []
        elif s:
            pending = []
    return out


def is_figure(x: Any) -> bool:
    return isinstance(x, dict) and "value" in x


def value_of(x: Any) -> Any:
    return x["value"] if is_figure(x) else x


def figure(value: Any, source: str | None = None, note: str | None = None) -> dict:
    f: dict[str, Any] = {"value": value}
    if source:
        f["source"] = source
    if note:
        f["note"] = note
    return f


# ----------------------------------------------------------------------------------------------
# Conversion
# ----------------------------------------------------------------------------------------------

@dataclass
class Item:
    data: dict
    comments: dict[str, str] = field(default_factory=dict)  # field -> comment above it
    params_comments: dict[str, str] = field(default_factory=dict)
    heading: list[str] = field(default_factory=list)


def draft_repr(x: Any) -> str:
    if is_figure(x):
        s = fmt_num(x["value"]) if isinstance(x["value"], (int, float)) else str(x["value"])
        extra = ", ".join(p for p in (x.get("source"), x.get("note")) if p)
        return f"{s} ({extra})" if extra else s
    return json.dumps(x) if not isinstance(x, str) else x


NUMERIC_FIGURE_FIELDS = {"amount", "annual", "term_years", "collateral", "ltv_max", "rate_pct", "spread_pct",
                         "share_pct", "value_estimate", "take_or_pay"}


def apply_fixes(item: Item, fixes: list[Fix], kind: str, draft_item: dict) -> list[str]:
    """Applies fixes to a converted firm/exposure; returns the note fragments to append."""
    notes: list[str] = []
    d = item.data
    for f in fixes:
        old = d.get(f.field)
        item.comments.setdefault(f.field if f.new is not None else "note", f.comment or f"conversion: {f.does}")
        if f.new is None:
            d.pop(f.field, None)
            notes.append(f"[conversion] {f.field} removed (draft: {f.draft}). {f.why} (source: {f.source})")
            continue
        numeric = kind == "exposure" and f.field in NUMERIC_FIGURE_FIELDS or kind == "firm" and f.field in FIRM_FIELDS.values()
        if numeric:
            draft_txt = f"draft: {draft_repr(old)}. " if old is not None else ""
            d[f.field] = figure(f.new, f.source, f"conversion: {f.does}. {f.why} {draft_txt}".strip())
            if kind == "firm" and old is not None:
                d.setdefault("facts", {})[f"draft_{f.field}"] = old
        else:
            d[f.field] = f.new
            notes.append(f"[conversion] {f.field}: {f.does}. {f.why} (source: {f.source})")
            if kind == "firm" and f.field == "type":
                pass
    return notes


def convert_firm(df: dict, headings: dict[str, list[str]]) -> Item:
    out: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    for k, v in df.items():
        if k in FIRM_KEYS_PLAIN:
            out[k] = v
        elif k in FIRM_FIELDS:
            out[FIRM_FIELDS[k]] = v
        else:
            facts[k] = v  # net_income, valuation, aum, shares, rpo, fcf, ...
    if facts:
        out["facts"] = facts
    item = Item(out, heading=headings.get(df["id"], []))
    fixes = FIRM_FIXES.get(df["id"], [])
    notes = apply_fixes(item, fixes, "firm", df)
    # SPV construction plans: keep the draft's capex as a fact under a clearer name.
    if "draft_capex" in out.get("facts", {}):
        out["facts"]["construction_spend_per_year"] = out["facts"].pop("draft_capex")
    if df["id"] in FIRM_PARAMS:
        out["params"] = {k: v for k, (v, _) in FIRM_PARAMS[df["id"]].items()}
        item.params_comments = {k: c for k, (_, c) in FIRM_PARAMS[df["id"]].items()}
    if notes:
        out["note"] = " ".join(([out["note"]] if out.get("note") else []) + notes)
    return item


def convert_exposure(de: dict, headings: dict[str, list[str]]) -> Item:
    out: dict[str, Any] = {}
    for k, v in de.items():
        if k in EXPOSURE_KEYS_KEPT:
            out[k] = v
        elif k == "collateral":
            continue  # `collateral: gpus` -> a USD figure, set by EXPOSURE_FIXES
        else:
            raise SystemExit(f"{de['id']}: draft key '{k}' has no mapping")
    item = Item(out, heading=headings.get(de["id"], []))
    if de.get("collateral") is not None and de["id"] not in EXPOSURE_FIXES:
        raise SystemExit(f"{de['id']}: collateral '{de['collateral']}' needs a judgment call")
    notes = apply_fixes(item, EXPOSURE_FIXES.get(de["id"], []), "exposure", de)
    if notes:
        out["note"] = " ".join(([out["note"]] if out.get("note") else []) + notes)
    return item


def flatten_facts(draft: dict) -> dict[str, dict]:
    """macro / asset_params / market_aggregates -> top-level fact groups (one level deep)."""
    groups: dict[str, dict] = {}
    for group in ("macro", "asset_params", "market_aggregates"):
        g: dict[str, Any] = {}
        for name, fig in draft[group].items():
            if is_figure(fig):
                g[name] = fig
            elif isinstance(fig, dict):  # nested group (macro.equity_shock_reference)
                groups[name] = fig
            else:
                raise SystemExit(f"{group}.{name}: not a figure")
        groups[group] = g
    # keep the draft's order: macro, equity_shock_reference, asset_params, market_aggregates
    order = ["macro", "equity_shock_reference", "asset_params", "market_aggregates"]
    return {k: groups[k] for k in order if k in groups}



def apply_generic_rules(firms: list[Item], exposures: list[dict]) -> list[tuple[str, Fix]]:
    """Mapping rules that apply to many firms at once (after the per-firm judgment calls):
    hardware book lives, opex net of depreciation, lenders' revenue gross of interest."""
    rows: list[tuple[str, Fix]] = []
    by_id = {it.data["id"]: it for it in firms}
    for fid, (life, src, note) in HARDWARE_LIFE.items():
        it = by_id[fid]
        it.data["hardware_life_years"] = figure(life, src, note)
        it.comments["hardware_life_years"] = "conversion: book life of this firm's hardware mix"
        rows.append((fid, Fix("hardware_life_years", life, "(none: engine default 6 years)",
                              f"hardware_life_years {fmt_num(life)}", note.removeprefix("conversion: "), src)))
    table = coherence([it.data for it in firms], exposures, 1)
    for it in firms:
        d = it.data
        fid = d["id"]
        if d["type"] in OPEX_INCLUDES_DA and value_of(d.get("hardware", 0)) > 0:
            life = value_of(d.get("hardware_life_years", DEFAULT_LIFE_YEARS))
            dep = value_of(d["hardware"]) / life
            old = value_of(d["opex"])
            floor = table[fid]["opex"].network
            floored = floor > old - dep + 1e-9
            new = round(floor if floored else old - dep, 2)
            draft_opex = d.get("facts", {}).get("draft_opex", d["opex"])
            txt = (f"cash opex {fmt_num(new)} = opex {fmt_num(old)} - depreciation {fmt_num(round(dep, 2))} "
                   f"(hardware {fmt_num(value_of(d['hardware']))} / {fmt_num(life)} years)")
            if floored:
                txt += f", floored at its network service payments {fmt_num(round(floor, 2))}"
            why = ("The draft's opex is revenue minus operating income, so it includes D&A; the engine pays "
                   "opex in cash and depreciates hardware by itself (hardware / hardware_life_years per "
                   "year). Kept as is, depreciation would be paid in cash and also written off.")
            d["opex"] = figure(new, "assumption", f"conversion: {txt}. {why} Draft opex: {draft_repr(draft_opex)}.")
            d.setdefault("facts", {}).setdefault("draft_opex", draft_opex)
            it.comments["opex"] = "conversion: cash opex (the draft's opex less depreciation)"
            rows.append((fid, Fix("opex", new, f"opex {fmt_num(old)} (includes D&A)", txt, why)))
        if d["type"] in LENDER_TYPES:
            ext_debt = value_of(d.get("debt", 0)) - table[fid]["debt"].network
            if ext_debt > 0:
                old = value_of(d["revenue"])
                interest = ext_debt * DEPOSIT_RATE_PCT / 100
                new = round(old + interest, 2)
                txt = (f"revenue {fmt_num(new)} = net revenue {fmt_num(old)} + interest on its liabilities "
                       f"{fmt_num(round(interest, 2))} ({fmt_num(ext_debt)} x {fmt_num(DEPOSIT_RATE_PCT)}%)")
                why = ("The draft's revenue of a bank or fund is net revenue (after interest expense) and its "
                       "debt is its total liabilities (deposits, insurance liabilities, fund leverage); the engine "
                       "charges lenders parameters.deposit_rate_pct (2.5%) on debt no exposure carries. Grossing "
                       "revenue up by that interest keeps the draft's pre-tax income (revenue - opex); without it "
                       "every bank would lose its equity within three years in a no-shock run.")
                draft_rev = d["revenue"]
                d["revenue"] = figure(new, "assumption", f"conversion: {txt}. {why} Draft revenue: {draft_repr(draft_rev)}.")
                d.setdefault("facts", {}).setdefault("draft_revenue", draft_rev)
                it.comments["revenue"] = "conversion: gross revenue (net revenue + interest on liabilities)"
                rows.append((fid, Fix("revenue", new, f"revenue {fmt_num(old)} (net revenue)", txt, why)))
    return rows

# ----------------------------------------------------------------------------------------------
# Coherence check (mirrors engine/model/derive.cc)
# ----------------------------------------------------------------------------------------------

@dataclass
class Flow:
    total: float
    parts: list[tuple[str, float]] = field(default_factory=list)

    @property
    def network(self) -> float:
        return sum(v for _, v in self.parts)


def derived_streams(exposures: list[dict]) -> dict[str, dict]:
    """Effective amount, annual pace and purpose per exposure, as derive.cc computes them."""
    by_id = {e["id"]: e for e in exposures}
    out = {}
    for e in exposures:
        amount = value_of(e["amount"])
        overlapped = sum(value_of(by_id[o]["amount"]) for o in e.get("overlaps", []))
        eff = max(0.0, amount - overlapped)
        scale = eff / amount if amount > 0 else 0.0
        term = value_of(e.get("term_years", 0)) or 0.0
        annual = None
        if e["kind"] in STREAM_KINDS or e["kind"] == "vendor_financing":
            if "annual" in e:
                annual = value_of(e["annual"]) * scale
                if term <= 0 and annual > 0:
                    term = eff / annual
            elif term > 0:
                annual = eff / term
            else:
                annual, term = eff, 1.0
        out[e["id"]] = {"effective": eff, "annual": annual, "term": term,
                        "rate": value_of(e.get("rate_pct", DEFAULT_DEBT_RATE_PCT))}
    return out


def coherence(firms: list[dict], exposures: list[dict], tick: int = 1) -> dict[str, dict[str, Flow]]:
    ftype = {f["id"]: f["type"] for f in firms}
    der = derived_streams(exposures)
    table = {f["id"]: {
        "revenue": Flow(value_of(f.get("revenue", 0))),
        "opex": Flow(value_of(f.get("opex", 0))),
        "capex": Flow(value_of(f.get("capex", 0))),
        "debt": Flow(value_of(f.get("debt", 0))),
        "other_assets": Flow(value_of(f.get("other_assets", 0))),
    } for f in firms}
    for e in exposures:
        d = der[e["id"]]
        enforced = e["status"] in ENFORCED
        active = e.get("start_tick", 1) <= tick and (not d["term"] or tick <= e.get("start_tick", 1) - 1 + d["term"] * 12)
        k = e["kind"]
        if enforced and active and k in STREAM_KINDS:
            table[e["from"]]["revenue"].parts.append((e["id"], d["annual"]))
            purpose = e.get("purpose") or ("capex" if ftype[e["from"]] in ("chipmaker", "memory_maker") else "service")
            if k == "purchase_commitment" and purpose == "capex":
                table[e["to"]]["capex"].parts.append((e["id"], d["annual"]))
            else:
                table[e["to"]]["opex"].parts.append((e["id"], d["annual"]))
        if enforced and k in DEBT_KINDS and k != "credit_line":
            table[e["to"]]["debt"].parts.append((e["id"], d["effective"]))
            table[e["from"]]["other_assets"].parts.append((e["id"], d["effective"]))
            if ftype[e["from"]] in LENDER_TYPES and active:
                table[e["from"]]["revenue"].parts.append((e["id"] + " interest", d["effective"] * d["rate"] / 100))
        if k in SECURITY_KINDS and (enforced or e["status"] == "settled"):
            table[e["from"]]["other_assets"].parts.append((e["id"], d["effective"]))
    return table


def balance_problems(firms: list[dict]) -> list[str]:
    out = []
    for f in firms:
        if "equity" not in f:
            continue
        assets = sum(value_of(f.get(k, 0)) for k in ("cash", "hardware", "other_assets"))
        implied = assets - value_of(f.get("debt", 0)) - value_of(f.get("lease_liabilities", 0)) - value_of(f["equity"])
        if implied < -1e-9:
            out.append(f"{f['id']}: equity {value_of(f['equity'])} exceeds assets - debt - leases by {-implied:.3g}")
    return out


def coherence_problems(table: dict[str, dict[str, Flow]]) -> list[str]:
    out = []
    for fid, rows in table.items():
        for name, fl in rows.items():
            if fl.network > fl.total + 1e-9:
                parts = ", ".join(f"{i} {fmt_num(round(v, 3))}" for i, v in fl.parts)
                out.append(f"{fid}.{name}: network {fl.network:.4g} > total {fl.total:.4g} ({parts})")
    return out


# ----------------------------------------------------------------------------------------------
# YAML emission (hand-written for comments and a stable, reviewable layout)
# ----------------------------------------------------------------------------------------------

def fmt_num(v: float | int) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


PLAIN_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
YAML_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(v: Any) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return fmt_num(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    s = str(v)
    if PLAIN_OK.match(s) and s.lower() not in YAML_RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


def comment_lines(text: str, indent: str, width: int = 100) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(indent) + 2 + len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return [f"{indent}# {l}" for l in lines]


def emit_mapping_item(d: dict, order: list[str], indent: str, comments: dict[str, str],
                      params_comments: dict[str, str] | None = None) -> list[str]:
    """One list item in block style; `comments` go above their field."""
    lines: list[str] = []
    keys = [k for k in order if k in d] + [k for k in d if k not in order]
    width = max(len(k) for k in keys if isinstance(d[k], dict)) + 1 if any(isinstance(d[k], dict) for k in keys) else 0
    inner = indent + "  "
    for i, k in enumerate(keys):
        prefix = indent + "- " if i == 0 else inner
        if k in comments:
            lines += comment_lines(comments[k], indent if i == 0 else inner)
        v = d[k]
        if k in ("params", "facts") and isinstance(v, dict):
            lines.append(f"{prefix}{k}:")
            w2 = max(len(x) for x in v) + 1
            for pk, pv in v.items():
                c = (params_comments or {}).get(pk) if k == "params" else None
                if c:
                    lines += comment_lines(c, inner + "  ")
                lines.append(f"{inner}  {(pk + ':').ljust(w2)} {flow(pv)}")
        else:
            key = (k + ":").ljust(width) if isinstance(v, dict) else k + ":"
            lines.append(f"{prefix}{key} {flow(v)}")
    return lines


HEADER = """\
# Cascade scenario: the AI-infrastructure financing network, mid-2026 (baseline, no shocks).
#
# GENERATED FILE - do not edit by hand. Generated by tools/convert_draft_baseline.py from the draft
# calibration shared/data/ai-2026-baseline.yaml (v{draft_version}); edit the draft or the script's
# judgment calls and re-run:  python3 tools/convert_draft_baseline.py
# Every departure from a literal reading of the draft is listed in scenarios/ai-2026/CONVERSION.md and
# marked here with a "conversion:" comment and a "[conversion]"/"conversion:" note.
#
# SOURCES: the seed articles in shared/seeds/: {seeds}.
#   shared/data/seed-facts.md is the English fact sheet of every seed figure. Each figure is
#   {{value, source, note}}: source is a seed file, `assumption` (a publicly known order of magnitude,
#   roughly +-30%, not checked against filings), or "seed + assumption". "derived" = arithmetic on seeds.
#
# UNITS: money in USD billions (nominal); flows (revenue, opex, capex, annual) per year; rates and
#   spreads in percent per year; terms in years; time in ticks of one month. Tick 0 is the as-of state
#   (mid-2026); tick 1 = {tick1}, tick 13 = July 2027, tick 60 = June 2031.
#
# FIRM TOTALS: revenue, opex, capex, debt and other_assets are reported TOTALS that include what the
#   exposures below carry; the engine subtracts the network part (docs/scenario-format.md). Where the
#   draft's 2025 totals were smaller than the draft's own contracts at tick 1, the total was moved to
#   the tick-1 run-rate (labelled; the draft's figure is kept as facts.draft_<field>). opex is CASH
#   opex: the draft's opex (revenue - operating income) less the depreciation the engine books itself
#   (hardware / hardware_life_years); banks' and funds' revenue is gross of the deposit rate (2.5%)
#   the engine charges on their liabilities (their draft revenue is net revenue).
#
# EDGE CONVENTION: `from` = the EXPOSED party (lender, bondholder, lessor, supplier owed under a
#   purchase commitment, investor, guarantor, warrant holder); `to` = the OBLIGOR (borrower, lessee,
#   committed buyer, investee, guaranteed party, warrant issuer). Payments flow to -> from.
#   amount: debt = principal; lease / purchase_commitment / revenue_share = total remaining payments
#   (annual x term); equity_stake / warrant = value at tick 0 (`basis` says cost or value);
#   guarantee = maximum payout; vendor_financing = total funding promised.
#
# STATUS: only `outstanding` and `contract` exposures create cash flows (from tick 1, or from
#   `start_tick`); `loi`, `proposed`, `doubtful` and `settled` ones stay in the network for loops and
#   rankings only.
#
# OVERLAPS: chip orders placed "for OpenAI" appear both as OpenAI's umbrella letter of intent (E02) and
#   as the intermediaries' own binding purchases (Oracle E06, Microsoft E24, CoreWeave E30). `overlaps`
#   is directional: E02 lists the exposures that already carry part of it, so its effective amount is
#   350 - 290 = 60; the intermediaries' edges carry their full amounts. Do not sum amounts blindly.
"""


def emit(draft: dict, firms: list[Item], exposures: list[Item], facts: dict, loops: list, projects: list,
         draft_text_version: str) -> str:
    b = draft["baseline"]
    out: list[str] = [HEADER.format(draft_version=b["version"], tick1=TICK1,
                                    seeds=",\n#   ".join(b["seeds"]))]
    out.append("format: cascade-scenario/1")
    out.append("")
    desc = ("Calibrated network of the 2025-2026 AI-infrastructure financing boom: chipmakers, hyperscalers, "
            "neoclouds, AI labs, SPVs, banks, private credit, bond investors and conglomerates, with the "
            "circular-financing loops L1-L12 of the seed articles. Converted from the draft calibration "
            f"ai-2026-baseline.yaml v{b['version']} ({b['as_of']}); no shocks.")
    out.append("scenario:")
    out.append(f"  name: {scalar(b['name'])}")
    out.append(f"  description: {scalar(desc)}")
    out.append(f"  version: {scalar('0.2')}")
    out.append(f"  as_of: {scalar(b['as_of'])}")
    out.append("")
    out.append("# Five years monthly; the seed is fixed so that runs are reproducible.")
    out.append("simulation: " + flow(SIMULATION))
    out.append("")
    out.append("# Behaviour knobs per firm type (engine/model/agent_params.h, docs/agents.md). Only knobs the")
    out.append("# seeds support are set; every other knob keeps its firm type's built-in default.")
    out.append("agent_defaults:")
    for t, knobs in AGENT_DEFAULTS.items():
        out.append(f"  {t}:")
        for k, (v, c) in knobs.items():
            out += comment_lines(c, "    ")
            out.append(f"    {k}: {fmt_num(v)}")
    out.append("")
    out.append("# Calibration figures kept for the record (the engine does not use them). Values may be ranges.")
    out.append("facts:")
    for g, figs in facts.items():
        if g == "equity_shock_reference":
            out.append("  # (draft: macro.equity_shock_reference; format v1 facts are one level deep)")
        out.append(f"  {g}:")
        w = max(len(n) for n in figs) + 1
        for n, fig in figs.items():
            out.append(f"    {(n + ':').ljust(w)} {flow(fig)}")
    out.append("")
    out.append("firms:")
    for it in firms:
        out.append("")
        for h in it.heading:
            out.append("  " + h)
        out += emit_mapping_item(it.data, FIRM_ORDER, "  ", it.comments, it.params_comments)
    out.append("")
    out.append("exposures:")
    for it in exposures:
        out.append("")
        for h in it.heading:
            out.append("  " + h)
        out += emit_mapping_item(it.data, EXPOSURE_ORDER, "  ", it.comments)
    out.append("")
    out.append("# Circular-financing loops named in the seeds (informational; the engine finds cycles itself).")
    out.append("loops:")
    for lp in loops:
        out.append("")
        out += emit_mapping_item(lp, ["id", "name", "edges", "source", "note"], "  ", {})
    out.append("")
    out.append("# Named build-outs (informational).")
    out.append("projects:")
    for p in projects:
        out.append(f"  - {flow(p)}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# Validation of the output against the format's key tables
# ----------------------------------------------------------------------------------------------

def check_output(doc: dict) -> list[str]:
    errs = []

    def keys(where: str, d: dict, allowed: set):
        for k in d:
            if k not in allowed:
                errs.append(f"{where}: key '{k}' is not in the format")

    def fig(where: str, v: Any, allow_list=False, min_=None):
        if is_figure(v):
            keys(where, v, {"value", "source", "note"})
            v = v["value"]
        if isinstance(v, list) and allow_list:
            for x in v:
                fig(where, x)
            return
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            errs.append(f"{where}: not a finite number: {v!r}")
        elif min_ is not None and v < min_:
            errs.append(f"{where}: {v} < {min_}")

    keys("top", doc, FORMAT_TOP)
    if doc.get("format") != "cascade-scenario/1":
        errs.append("format must be cascade-scenario/1")
    keys("scenario", doc["scenario"], FORMAT_SCENARIO)
    keys("simulation", doc["simulation"], FORMAT_SIMULATION)
    for t, knobs in doc.get("agent_defaults", {}).items():
        if t not in FORMAT_FIRM_TYPES:
            errs.append(f"agent_defaults.{t}: unknown firm type")
        for k, v in knobs.items():
            lo, hi = AGENT_KNOBS.get(k, (None, None))
            if lo is None:
                errs.append(f"agent_defaults.{t}.{k}: unknown knob")
            elif not lo <= v <= hi:
                errs.append(f"agent_defaults.{t}.{k}: {v} outside [{lo}, {hi}]")
    for g, figs in doc.get("facts", {}).items():
        for n, v in figs.items():
            fig(f"facts.{g}.{n}", v, allow_list=True)
    ids = set()
    for i, f in enumerate(doc["firms"]):
        w = f"firms[{i}] ({f['id']})"
        keys(w, f, FORMAT_FIRM)
        if f["id"] in ids:
            errs.append(f"{w}: duplicate id")
        ids.add(f["id"])
        if not re.match(r"^[a-z][a-z0-9_]*$", f["id"]):
            errs.append(f"{w}: id not lower_snake_case")
        if f["type"] not in FORMAT_FIRM_TYPES:
            errs.append(f"{w}: unknown type {f['type']}")
        for k in ("cash", "hardware", "other_assets", "debt", "lease_liabilities", "equity", "market_cap",
                  "revenue", "opex", "capex"):
            if k in f:
                fig(f"{w}.{k}", f[k], min_=0)
        for k, v in f.get("params", {}).items():
            lo, hi = AGENT_KNOBS.get(k, (None, None))
            if lo is None or not lo <= v <= hi:
                errs.append(f"{w}.params.{k}: unknown knob or out of range")
        for k, v in f.get("facts", {}).items():
            fig(f"{w}.facts.{k}", v, allow_list=True)
    eids = {e["id"] for e in doc["exposures"]}
    for i, e in enumerate(doc["exposures"]):
        w = f"exposures[{i}] ({e['id']})"
        keys(w, e, FORMAT_EXPOSURE)
        if e["kind"] not in FORMAT_KINDS:
            errs.append(f"{w}: unknown kind")
        if e["status"] not in FORMAT_STATUSES:
            errs.append(f"{w}: unknown status")
        for end in ("from", "to", "beneficiary"):
            if end in e and e[end] not in ids:
                errs.append(f"{w}.{end}: unknown firm {e[end]}")
        fig(f"{w}.amount", e["amount"])
        if value_of(e["amount"]) <= 0:
            errs.append(f"{w}.amount must be > 0")
        for k in NUMERIC_FIGURE_FIELDS & set(e):
            fig(f"{w}.{k}", e[k], min_=0)
        for o in e.get("overlaps", []):
            if o not in eids:
                errs.append(f"{w}.overlaps: unknown exposure {o}")
        debt = e["kind"] in DEBT_KINDS
        for k in ("rate_pct", "spread_pct", "collateral", "amortisation"):
            if k in e and not debt:
                errs.append(f"{w}.{k}: debt only")
        if "ltv_max" in e and e["kind"] != "collateralised_loan":
            errs.append(f"{w}.ltv_max: collateralised debt only")
        if "purpose" in e and e["kind"] != "purchase_commitment":
            errs.append(f"{w}.purpose: purchase_commitment only")
        if "form" in e and e["kind"] != "vendor_financing":
            errs.append(f"{w}.form: vendor_financing only")
        if "beneficiary" in e and e["kind"] != "guarantee":
            errs.append(f"{w}.beneficiary: guarantee only")
        if ("share_pct" in e or "basis" in e or "value_estimate" in e) and e["kind"] not in SECURITY_KINDS:
            errs.append(f"{w}: share_pct/basis/value_estimate are for securities only")
        if e["kind"] in STREAM_KINDS and "annual" in e and "term_years" in e:
            a, t, m = value_of(e["annual"]), value_of(e["term_years"]), value_of(e["amount"])
            if abs(a * t - m) > 0.01 * m + 0.05:
                errs.append(f"{w}: annual x term = {a * t:.4g} but amount = {m}")
    for i, lp in enumerate(doc.get("loops", [])):
        keys(f"loops[{i}]", lp, FORMAT_LOOP)
        for e in lp["edges"]:
            if e not in eids:
                errs.append(f"loops[{i}]: unknown exposure {e}")
    for i, p in enumerate(doc.get("projects", [])):
        for o in p.get("owners", []):
            if o not in ids:
                errs.append(f"projects[{i}]: unknown owner {o}")
    return errs


# ----------------------------------------------------------------------------------------------
# CONVERSION.md
# ----------------------------------------------------------------------------------------------

def md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def coherence_md(table: dict[str, dict[str, Flow]], ids: list[str]) -> list[str]:
    rows = ["| firm | revenue: total / network | opex: total / network | capex: total / network | "
            "debt: total / network | other_assets: total / network |",
            "|---|---|---|---|---|---|"]
    for fid in ids:
        r = table[fid]
        cells = [f"{fmt_num(round(r[k].total, 2))} / {fmt_num(round(r[k].network, 2))}" for k in
                 ("revenue", "opex", "capex", "debt", "other_assets")]
        rows.append(f"| {fid} | " + " | ".join(cells) + " |")
    return rows


def write_conversion_md(path: Path, draft_path_label: str, judgment_rows: list[tuple[str, Fix]],
                        table1: dict, later: list[str], firm_ids: list[str], param_rows: list[str]) -> None:
    lines = [
        "# Conversion of the draft baseline to scenario format v1",
        "",
        "GENERATED by `tools/convert_draft_baseline.py` (with `baseline.yaml`); edit the script, not this file.",
        "",
        f"Input: `{draft_path_label}` (draft v0.1). Output: `scenarios/ai-2026/baseline.yaml`.",
        "",
        "## Mechanical mapping",
        "",
        "| draft | format v1 |",
        "|---|---|",
        "| `baseline.{name, version, as_of}` | `scenario.{name, version, as_of}` (+ description); `format: cascade-scenario/1` |",
        "| `baseline.currency_unit`, `baseline.seeds` | header comment and description (facts must be numbers) |",
        "| `macro`, `asset_params`, `market_aggregates` | `facts:` groups of the same names (ranges kept as lists) |",
        "| `macro.equity_shock_reference` (nested) | its own `facts.equity_shock_reference` group (facts are one level deep) |",
        "| firm `hardware_assets` | `hardware` |",
        "| firm `cash, other_assets, debt, lease_liabilities, equity, market_cap, revenue, opex, capex` | same names |",
        "| firm extras (`net_income`, `valuation`, `aum`, shares, `rpo`, `fcf`, `uncommenced_leases`, ...) | firm `facts:` (private labs' `valuation` stays a fact: they are not listed) |",
        "| exposure `id, kind, from, to, status, amount, annual, term_years, overlaps, loop, note` | same |",
        "| exposure `share_pct, basis, form, beneficiary, spread_pct, value_estimate` | same (format fields) |",
        "| exposure `collateral: gpus` | `kind: collateralised_loan`, `collateral:` USD bn of obligor hardware, `ltv_max` (see E35, E41, E84) |",
        "| `loops`, `projects` | `loops`, `projects` (unchanged) |",
        f"| (none) | `simulation: {{horizon_ticks: 60, ticks_per_year: 12, seed: {SIMULATION['seed']}}}`; tick 1 = {TICK1} |",
        "",
        "Every firm (32) and every exposure (E01-E97) of the draft is kept with its id, and every "
        "figure keeps its `{value, source, note}`. Where a figure was changed, the new figure has "
        "`source: assumption` and a note that starts with `conversion:` and quotes the draft; for firms "
        "the draft's figure is also kept as `facts.draft_<field>`.",
        "",
        "## Judgment calls",
        "",
        "| id | field | draft reading | what the baseline does | why |",
        "|---|---|---|---|---|",
    ]
    for oid, f in judgment_rows:
        lines.append(f"| {oid} | `{f.field}` | {md_escape(f.draft)} | {md_escape(f.does)} | {md_escape(f.why)} |")
    lines += [
        "",
        "## Behaviour knobs set by the baseline",
        "",
        "All other knobs keep the firm type's built-in default (`agents/firm_types.cc`).",
        "",
        "| where | knob | value | basis |",
        "|---|---|---|---|",
    ] + param_rows + [
        "",
        "## Coherence at tick 1",
        "",
        "Network flows at tick 1 as `engine/model/derive.cc` computes them (binding exposures already "
        "started; receipts include lenders' interest at the default rate; capex = capex-purpose purchase "
        "commitments). The script refuses to write the baseline if any network part exceeds its total.",
        "",
    ] + coherence_md(table1, firm_ids) + [
        "",
        "Flows that start after tick 1 (new revenue and costs on top of the tick-0 totals):",
        "",
    ] + [f"- {x}" for x in later] + [
        "",
        "## OpenAI's commitments against its revenue",
        "",
        "The seed figures are kept: 2025 revenue 13.04 and costs 33.9 (003). At tick 1 the network carries "
        "30.7/yr of those costs (Azure 17.2, revenue share 2.6, AWS 5.4, CoreWeave 4.5, Google 1), leaving "
        "3.2/yr of other cost. The AMD chips add 20/yr from tick 7 and Oracle 60/yr from tick 13, so from "
        "mid-2027 OpenAI owes about 114/yr against a revenue that starts at 13. The baseline does not "
        "shrink the commitments (they are the seeds' figures and the seeds' thesis: 001 quotes an analyst "
        "saying OpenAI 'can in no way' meet even one of them). What carries OpenAI in the baseline are two "
        "labelled assumptions: equity raising of 100/yr (OpenAI's own figure; the ai_lab type has 000's 40bn "
        "round) and revenue growth of 1.0/yr (about doubling). Roughly: year 1 burn ~25-30, year 2 ~75, "
        "year 3 ~40; with 40/yr of equity it runs out of runway at tick 25 of a no-shock run, with 100/yr it "
        "stays liquid while the equity window is open, which S8 shuts. Nvidia's up-to-100 "
        "equity tranches (E01, 10/GW) are a letter of intent and do not fund OpenAI unless a scenario "
        "enforces `loi`.",
        "",
        "## Open items",
        "",
        "- **Depreciation inside opex (handled, please confirm).** The draft defines opex as revenue minus "
        "operating income, which includes D&A, while the engine pays opex in cash and depreciates hardware "
        "itself (engine/sim/simulation.cc, phase 2). The conversion therefore subtracts the engine's own "
        "tick-1 depreciation (hardware / hardware_life_years) from the opex of chipmakers, memory makers, "
        "hyperscalers, neoclouds, miners and conglomerates, and gives hyperscalers (8.6 years) and the "
        "data-centre SPVs (25 years) book lives that fit their asset mix. The crypto miners' cash opex "
        "comes out at 0.07 (the draft's 1.4 is almost all depreciation of 8 of hardware): a sign that the "
        "draft's miner figures are rough. If docs/model.md later defines opex as including depreciation, "
        "drop OPEX_INCLUDES_DA in the script and re-run.",
        "- **Banks' and funds' revenue grossed up (handled, please confirm).** Their draft revenue is net of "
        "interest expense while the engine charges lenders the deposit rate, 2.5%, on their liabilities "
        "(parameters.deposit_rate_pct: US banks' cost of interest-bearing deposits in 2025 was about 2-2.5%); "
        "the conversion adds that interest to revenue, so their pre-tax income is the draft's.",
        "- **Annual orders end after one year.** E24, E30, E47, E56, E70, E79-E82 and E86 have term 1 and "
        "stop at tick 12; the engine (engine/sim/obligations.cc) then keeps each supplier's share of the "
        "buyer's capex plan as spot orders, so Nvidia's and the memory makers' revenue continues and "
        "follows the buyers' capex (and the S1 shock). E78 (HBM, a service stream) has no such "
        "continuation and was booked over 5 years instead (see the table).",
        "- **SPVs build nothing.** SPV capex was set to 0 because the funded builds are already their "
        "hardware. The developers that will build Oracle's uncommenced capacity (E13, 200) receive its rent "
        "from tick 19 without a construction account of their own; the builders' construction (capacity "
        "channel) is the hyperscalers', neoclouds' and miners'.",
        "- **The smaller neoclouds over-expand.** With AI capacity earning compute revenue, CoreWeave and the "
        "miners survive the no-shock run; the other_neoclouds aggregate (revenue 7.6/yr, all contracted) "
        "plans capex above what its contracts and its type's funding capacity (bond 5/yr, equity 2/yr) carry, "
        "its builds stall unpaid and are stranded, and it fails at about tick 43. The draft gives no funding "
        "figures for this aggregate; the default is the model's reading of its figures.",
        "- **Calibration differences that remain** (tools/calibration_table.py prints them):",
        "  - Oracle's share of future revenue from OpenAI is 45-48% against 001's 'two thirds': the 300 "
        "contract (E05) is all of Oracle's network backlog, and its other revenue (~66/yr) is counted over "
        "five years; 001's figure is a share of RPO, which for Oracle's other business the draft does not "
        "give.",
        "  - CoreWeave's revenue from Microsoft and Nvidia is 34% against 003's 65%: the draft's contracts with "
        "OpenAI (E31), Meta (E32), Google (E33) and Anthropic (E34) carry the rest (003 names all of them "
        "as customers).",
        "  - OpenAI's payments are 54% of Microsoft's AI revenue against 003's ~70%: the draft adds "
        "Anthropic's Azure deal (E61, 6/yr) signed in Nov 2025, after 003's quarter.",
        "- **Debt terms are read as remaining terms from tick 1** (e.g. the Vantage facilities mature at "
        "tick 48 although they closed in autumn 2025 with a 4-year tenor). Rates are the default 6% except "
        "E08-E10 (reference 3.8 + 2.5); the macro spreads are kept as facts for a later pricing step.",
        "- **OpenAI's revolver (E76, 4) and Anthropic's (E93, 2.5)** stay drawn loans as in the draft "
        "('assume drawn under stress'); `credit_line` would let the funding phase draw them endogenously.",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draft", help="path of the draft (default: ../shared/data/ai-2026-baseline.yaml)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output directory (default: scenarios/ai-2026)")
    ap.add_argument("--check", action="store_true", help="print the tick-1 coherence table and exit")
    args = ap.parse_args()

    draft_path = find_draft(args.draft)
    text = draft_path.read_text(encoding="utf-8")
    draft = yaml.safe_load(text)
    headings = section_comments(text)

    known_firms = {f["id"] for f in draft["firms"]}
    known_exps = {e["id"] for e in draft["exposures"]}
    for k in list(FIRM_FIXES) + list(FIRM_PARAMS):
        if k not in known_firms:
            sys.exit(f"judgment call on unknown firm {k}")
    for k in EXPOSURE_FIXES:
        if k not in known_exps:
            sys.exit(f"judgment call on unknown exposure {k}")

    firms = [convert_firm(f, headings) for f in draft["firms"]]
    exposures = [convert_exposure(e, headings) for e in draft["exposures"]]
    facts = flatten_facts(draft)

    fdicts = [it.data for it in firms]
    edicts = [it.data for it in exposures]
    generic_rows = apply_generic_rules(firms, edicts)
    table1 = coherence(fdicts, edicts, 1)
    problems = coherence_problems(table1) + balance_problems(fdicts)

    if args.check:
        for fid, rows in table1.items():
            print(fid)
            for name, fl in rows.items():
                flag = "  <-- OVER" if fl.network > fl.total + 1e-9 else ""
                print(f"   {name:12s} total {fl.total:9.4g}  network {fl.network:9.4g}{flag}")
        for p in problems:
            print("PROBLEM:", p)
        return 1 if problems else 0
    if problems:
        for p in problems:
            print("incoherent at tick 1:", p, file=sys.stderr)
        return 1

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    yaml_text = emit(draft, firms, exposures, facts, draft["loops"], draft["projects"], "")
    doc = yaml.safe_load(yaml_text)
    errs = check_output(doc)
    if len(doc["firms"]) != len(draft["firms"]) or len(doc["exposures"]) != len(draft["exposures"]):
        errs.append("firm or exposure count changed")
    if errs:
        for e in errs:
            print("format check:", e, file=sys.stderr)
        return 1
    (out_dir / "baseline.yaml").write_text(yaml_text, encoding="utf-8")

    # CONVERSION.md
    rows: list[tuple[str, Fix]] = []
    for fid, fixes in FIRM_FIXES.items():
        rows += [(fid, f) for f in fixes]
    rows += generic_rows
    for eid in sorted(EXPOSURE_FIXES, key=lambda x: int(x[1:])):
        rows += [(eid, f) for f in EXPOSURE_FIXES[eid]]
    der = derived_streams(edicts)
    later = []
    for e in edicts:
        st = e.get("start_tick", 1)
        if st > 1 and e["status"] in ENFORCED:
            later.append(f"{e['id']} ({e['kind']}): {e['to']} pays {e['from']} "
                         f"{fmt_num(round(der[e['id']]['annual'], 2))}/yr from tick {st}")
    param_rows = []
    for t, knobs in AGENT_DEFAULTS.items():
        param_rows += [f"| agent_defaults.{t} | `{k}` | {fmt_num(v)} | {md_escape(c)} |" for k, (v, c) in knobs.items()]
    for fid, knobs in FIRM_PARAMS.items():
        param_rows += [f"| firms.{fid}.params | `{k}` | {fmt_num(v)} | {md_escape(c)} |" for k, (v, c) in knobs.items()]
    write_conversion_md(out_dir / "CONVERSION.md", "shared/data/ai-2026-baseline.yaml", rows, table1, later,
                        [f["id"] for f in fdicts], param_rows)
    print(f"wrote {out_dir / 'baseline.yaml'} ({len(doc['firms'])} firms, {len(doc['exposures'])} exposures) "
          f"and {out_dir / 'CONVERSION.md'} ({len(rows)} judgment calls)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
