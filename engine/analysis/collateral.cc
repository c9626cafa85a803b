#include "engine/analysis/collateral.h"

#include <algorithm>
#include <sstream>
#include <string>

#include "engine/model/model.h"

namespace cascade::analysis {
namespace {

std::string firm_path(FirmIdx f) { return "firms[" + std::to_string(f) + "]"; }

bool exceeds(double amount, double limit) { return amount > limit + kPledgeTolerance * std::max(1.0, limit); }

/// One pledge of a firm's hardware: the exposure and its amount.
struct Pledge {
  ExposureIdx exposure;
  double usd_bn;
};

/// "other_private_credit 18 (E35), apollo 21 (E99, loi)".
std::string describe(const Model& m, const std::vector<Pledge>& pledges) {
  std::string out;
  for (const Pledge& p : pledges) {
    const ExposureSpec& e = m.exposures[p.exposure];
    out += (out.empty() ? "" : ", ") + m.firms[e.from].id + " " + format_quantity(p.usd_bn) + " (" + e.id;
    if (!is_binding(e.status)) out += ", " + std::string(to_string(e.status));
    out += ")";
  }
  return out;
}

}  // namespace

std::vector<Diagnostic> collateral_warnings(const Model& m) {
  std::vector<Diagnostic> out;
  const auto warn = [&](SourceLocation where, std::string path, std::string message) {
    out.push_back(Diagnostic{Severity::warning, std::move(where), std::move(path), std::move(message)});
  };
  const std::size_t n = m.firms.size();
  std::vector<std::vector<Pledge>> pledges(n);
  std::vector<double> pledged(n, 0.0);
  std::vector<std::vector<ExposureIdx>> leases_taken(n);  // in-network leases the firm pays
  for (ExposureIdx i = 0; i < m.exposures.size(); ++i) {
    const ExposureSpec& e = m.exposures[i];
    if (e.status == ExposureStatus::settled) continue;  // performed: any collateral is released
    if (e.collateral_usd_bn > 0.0) {
      pledges[e.to].push_back({i, e.collateral_usd_bn});
      pledged[e.to] += e.collateral_usd_bn;
    }
    if (e.kind == ExposureKind::lease) leases_taken[e.to].push_back(i);
  }

  for (FirmIdx f = 0; f < n; ++f) {
    const FirmSpec& firm = m.firms[f];
    if (pledges[f].empty()) continue;
    const double hardware = firm.hardware_usd_bn;
    if (pledges[f].size() >= 2 && exceeds(pledged[f], hardware)) {
      // Rule 1: more collateral than hardware, pledged to two or more claims. (One pledge above
      // the hardware has no second claimant: an overstated collateral figure, not a re-pledge.)
      std::string message =
          firm.id + ": hardware of " + format_quantity(hardware) + " is pledged for " + format_quantity(pledged[f]) + " in total";
      if (hardware > 0.0) message += " (" + format_quantity(pledged[f] / hardware) + " times over)";
      message += " to its lenders " + describe(m, pledges[f]) +
                 "; the same machines back more than one loan, so in a default these lenders recover less than "
                 "their collateral says";
      warn(firm.where, firm_path(f), std::move(message));
      continue;
    }
    // Rule 2: a lessee pledging beyond what it owns outright pledges its lessors' hardware.
    const double owned_outright = std::max(0.0, hardware - firm.lease_liabilities_usd_bn);
    if (leases_taken[f].empty() || !exceeds(pledged[f], owned_outright)) continue;
    std::string lessors;
    for (ExposureIdx l : leases_taken[f]) {
      const ExposureSpec& lease = m.exposures[l];
      const FirmIdx lessor = lease.from;
      lessors += (lessors.empty() ? "" : ", ") + m.firms[lessor].id + " (" + lease.id;
      if (!pledges[lessor].empty()) lessors += "; its hardware is itself pledged to " + describe(m, pledges[lessor]);
      lessors += ")";
    }
    warn(firm.where, firm_path(f),
         firm.id + ": pledges " + format_quantity(pledged[f]) + " of hardware to " + describe(m, pledges[f]) +
             " but owns only " + format_quantity(owned_outright) + " outright (hardware " + format_quantity(hardware) +
             " less lease liabilities " + format_quantity(firm.lease_liabilities_usd_bn) + "); the rest is leased from " +
             lessors + ": the same machines are counted by more than one owner");
  }

  // Rule 3: projects that put one build-out's hardware under several owners.
  for (std::size_t p = 0; p < m.projects.size(); ++p) {
    const ProjectSpec& project = m.projects[p];
    if (project.owners.size() < 2) continue;
    const std::string path = "projects[" + std::to_string(p) + "]";
    std::string owners;
    for (FirmIdx o : project.owners) owners += (owners.empty() ? "" : ", ") + m.firms[o].id;
    const auto owns = [&](FirmIdx f) {
      return std::find(project.owners.begin(), project.owners.end(), f) != project.owners.end();
    };
    std::vector<FirmIdx> reported_lessors;
    for (const ExposureSpec& e : m.exposures) {
      if (e.kind != ExposureKind::lease || e.status == ExposureStatus::settled || !owns(e.from) || !owns(e.to))
        continue;
      reported_lessors.push_back(e.from);
      warn(project.where, path,
           project.id + ": lessor " + m.firms[e.from].id + " and its lessee " + m.firms[e.to].id + " (lease " +
               e.id + ") are both listed as owners (" + owners +
               "): the leased hardware is counted by more than one owner");
    }
    for (FirmIdx o : project.owners)
      if (m.firms[o].type == FirmType::spv &&
          std::find(reported_lessors.begin(), reported_lessors.end(), o) == reported_lessors.end())
        warn(project.where, path,
             project.id + ": the hardware of SPV " + m.firms[o].id + " is listed under " +
                 std::to_string(project.owners.size()) + " owners (" + owners +
                 "): the same machines may be counted by more than one owner");
  }
  return out;
}

}  // namespace cascade::analysis
