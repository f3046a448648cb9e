//! A support contract as the clocks count under it: the plan, its dated changes and the
//! organization's business calendar.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{BusinessCalendar, BusinessSchedule};
use crate::domain::plan::SupportPlan;
use crate::error::AppError;

/// A change of plan at a date. Cloud Avenue: "il est possible de passer son niveau de
/// support à un niveau supérieur. La mise en place est effective immédiatement."
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanChange {
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub plan: SupportPlan,
}

/// What an organization's contract says, as stored and sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContractTerms {
    pub plan: SupportPlan,
    /// Elastic: business hours "sont définies par l'emplacement de votre entreprise dans votre
    /// contrat d'assistance".
    pub calendar: BusinessCalendar,
    /// Later plans, each in force from its date.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub plan_changes: Vec<PlanChange>,
}

/// A validated support contract: the plan (and its dated changes) and the organization's
/// business calendar, resolved once for every clock computed under it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "ContractTerms", into = "ContractTerms")]
pub struct Contract {
    terms: ContractTerms,
    schedule: BusinessSchedule,
    calendar_text: String,
}

/// Two contracts are the same when their terms are (the rest is derived from them).
impl PartialEq for Contract {
    fn eq(&self, other: &Contract) -> bool {
        self.terms == other.terms
    }
}

impl Contract {
    pub fn new(plan: SupportPlan, calendar: BusinessCalendar) -> Result<Contract, AppError> {
        Contract::from_terms(ContractTerms { plan, calendar, plan_changes: Vec::new() })
    }

    /// Checks the plans and the calendar; plan changes are kept in date order.
    pub fn from_terms(mut terms: ContractTerms) -> Result<Contract, AppError> {
        terms.plan.validate()?;
        for change in &terms.plan_changes {
            change.plan.validate()?;
        }
        terms.plan_changes.sort_by_key(|c| c.at);
        let schedule = terms.calendar.schedule()?;
        let calendar_text = terms.calendar.describe();
        Ok(Contract { terms, schedule, calendar_text })
    }

    /// The same contract with the organization on `plan` from `at`.
    pub fn with_plan_change(self, at: Timestamp, plan: SupportPlan) -> Result<Contract, AppError> {
        let mut terms = self.terms;
        terms.plan_changes.push(PlanChange { at, plan });
        Contract::from_terms(terms)
    }

    pub fn terms(&self) -> &ContractTerms {
        &self.terms
    }

    /// The first plan of the contract.
    pub fn plan(&self) -> &SupportPlan {
        &self.terms.plan
    }

    pub fn calendar(&self) -> &BusinessCalendar {
        &self.terms.calendar
    }

    pub fn schedule(&self) -> &BusinessSchedule {
        &self.schedule
    }

    /// The calendar in English words, for explanations (`Europe/Paris 09:00-18:00 Mon-Fri`).
    pub(super) fn calendar_text(&self) -> &str {
        &self.calendar_text
    }

    /// The plan in force at `t`: the last change dated at or before it.
    pub fn plan_at(&self, t: Timestamp) -> &SupportPlan {
        self.terms.plan_changes.iter().rev().find(|c| c.at <= t).map_or(&self.terms.plan, |c| &c.plan)
    }
}

impl TryFrom<ContractTerms> for Contract {
    type Error = AppError;
    fn try_from(terms: ContractTerms) -> Result<Contract, AppError> {
        Contract::from_terms(terms)
    }
}

impl From<Contract> for ContractTerms {
    fn from(contract: Contract) -> ContractTerms {
        contract.terms
    }
}
