//! Who a generated history is about: 200 organizations spread over every preset plan (a
//! tenth upgraded along the way), their products and ~2,000 contacts, and 40 engineers in
//! seven time zones with their profiles. Written as the demo loader writes them.

use jiff::{SignedDuration, Timestamp};

use super::dice::Dice;
use super::words::{ALL_PRODUCTS, ascii_part, organization_name, person_name, products_for_plan};
use crate::backend::store::bulk::{BulkLoad, Cell, NextIds, RowsFor};
use crate::domain::calendar::{BusinessCalendar, BusinessSchedule};
use crate::domain::plan::{PRESET_PLAN_IDS, SupportPlan};
use crate::domain::sla::Contract;
use crate::error::AppError;

pub const ORGANIZATIONS: usize = 200;
pub const ENGINEERS: usize = 40;

/// An organization of the dataset with its contract as `contract_of` reads it back.
pub struct Customer {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub contract: Contract,
    pub created_at: Timestamp,
    /// The later plan, from its date (an upgrade), if any.
    pub upgrade: Option<(Timestamp, SupportPlan)>,
    pub products: Vec<(&'static str, &'static str)>,
    pub contacts: Vec<Contact>,
    /// Indexes into `contacts` of those who may open cases (the plan's seats).
    pub openers: Vec<usize>,
}

pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub language: &'static str,
}

pub struct Engineer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub time_zone: &'static str,
    pub skills: Vec<String>,
    pub languages: Vec<&'static str>,
    pub hours: BusinessCalendar,
    pub schedule: BusinessSchedule,
    pub lead: bool,
}

impl Engineer {
    pub fn knows(&self, product: &str) -> bool {
        self.skills.iter().any(|s| s == product)
    }
}

/// Everyone in the dataset.
pub struct Roster {
    pub customers: Vec<Customer>,
    pub engineers: Vec<Engineer>,
    /// Cumulative case weights of the customers (a few large ones, many small ones).
    weights: Vec<f64>,
}

const ZONES_EN: &[&str] =
    &["America/New_York", "Europe/London", "America/Los_Angeles", "Australia/Sydney", "America/Chicago"];
const ZONES_FR: &[&str] = &["Europe/Paris", "Europe/Brussels", "America/Toronto"];
const ZONES_ZH: &[&str] = &["Asia/Shanghai", "Asia/Singapore", "Asia/Hong_Kong"];

/// Engineers' zones, so that someone is on shift around the clock (follow the sun).
const ENGINEER_ZONES: &[(&str, usize, &str)] = &[
    ("Europe/Paris", 8, "fr"),
    ("Europe/London", 5, "de"),
    ("America/New_York", 7, "es"),
    ("America/Los_Angeles", 5, "es"),
    ("Asia/Shanghai", 6, "zh"),
    ("Asia/Kolkata", 4, "hi"),
    ("Australia/Sydney", 5, "en"),
];

/// The plan an organization may move up to.
fn upgrade_of(plan: &str) -> Option<&'static str> {
    Some(match plan {
        "elastic-cloud-limited" => "elastic-cloud-basic",
        "elastic-cloud-basic" => "elastic-cloud-enhanced",
        "elastic-cloud-enhanced" => "elastic-cloud-premium",
        "elastic-sm-gold" => "elastic-sm-platinum",
        "elastic-sm-platinum" => "elastic-sm-enterprise",
        "cloud-avenue-standard" => "cloud-avenue-bronze",
        "cloud-avenue-bronze" => "cloud-avenue-silver",
        "cloud-avenue-silver" => "cloud-avenue-gold",
        _ => return None,
    })
}

fn unique_email(taken: &mut std::collections::HashSet<String>, local: &str, domain: &str) -> String {
    let mut email = format!("{local}@{domain}");
    let mut n = 2;
    while !taken.insert(email.clone()) {
        email = format!("{local}{n}@{domain}");
        n += 1;
    }
    email
}

impl Roster {
    /// The roster for `seed`, its history starting at `start`; ids from `next`. `suffix`
    /// keeps slugs and emails apart from an earlier load (`--into-nonempty`).
    pub fn new(seed: u64, start: Timestamp, next: &NextIds, suffix: &str) -> Result<Roster, AppError> {
        let mut dice = Dice::for_item(seed, u64::MAX);
        let mut taken = std::collections::HashSet::new();
        let mut customers = Vec::with_capacity(ORGANIZATIONS);
        let mut user_id = next.user;
        let mut contact_index = 0;
        for i in 0..ORGANIZATIONS {
            let name = organization_name(i);
            let slug = format!("{}{suffix}", ascii_part(&name));
            let language = match dice.unit() {
                u if u < 0.62 => "en",
                u if u < 0.90 => "fr",
                _ => "zh",
            };
            let zone = match language {
                "fr" => dice.pick(ZONES_FR),
                "zh" => dice.pick(ZONES_ZH),
                _ => dice.pick(ZONES_EN),
            };
            // Every preset, the first ones more often (most customers are on the common plans).
            let plan_id =
                PRESET_PLAN_IDS[if i < PRESET_PLAN_IDS.len() { i } else { dice.below(PRESET_PLAN_IDS.len()) }];
            let plan = SupportPlan::preset(plan_id).ok_or(AppError::Internal)?;
            let calendar = BusinessCalendar { time_zone: zone.to_string(), ..plan.calendar.clone() };
            let created_at = start - SignedDuration::from_hours(dice.between(24, 24 * 90));
            let mut contract = Contract::new(plan, calendar)?;
            let mut upgrade = None;
            if let Some(next_plan) = upgrade_of(plan_id).filter(|_| dice.chance(0.12)) {
                let at = start + SignedDuration::from_hours(dice.between(24 * 200, 24 * 1600));
                let plan = SupportPlan::preset(next_plan).ok_or(AppError::Internal)?;
                contract = contract.with_plan_change(at, plan.clone())?;
                upgrade = Some((at, plan));
            }
            let family = products_for_plan(plan_id);
            let products: Vec<_> = family.iter().take(dice.between(2, family.len() as i64) as usize).copied().collect();
            // Sizes from 3 to 17 contacts, 10 on average: ~2,000 in all (most in the
            // organization's language).
            let size = 3 + dice.below(15);
            let domain = format!("{slug}.example");
            let mut contacts = Vec::with_capacity(size);
            for _ in 0..size {
                let speaks = if dice.chance(0.85) { language } else { "en" };
                let name = person_name(contact_index * 7 + i, speaks);
                let local = match ascii_part(&name) {
                    local if local.is_empty() => format!("contact{contact_index}"),
                    local => local.replacen('-', ".", 1),
                };
                contacts.push(Contact {
                    id: user_id,
                    email: unique_email(&mut taken, &local, &domain),
                    name,
                    language: speaks,
                });
                user_id += 1;
                contact_index += 1;
            }
            let seats = contract.plan().case_openers.map_or(size, |n| (n as usize).min(size));
            customers.push(Customer {
                id: next.organization + i as i64,
                slug,
                name,
                contract,
                created_at,
                upgrade,
                products,
                contacts,
                openers: (0..seats).collect(),
            });
        }
        let mut engineers = Vec::with_capacity(ENGINEERS);
        for &(zone, count, other_language) in ENGINEER_ZONES {
            for k in 0..count {
                let n = engineers.len();
                let name = person_name(5_000 + n * 11, "en");
                let email = unique_email(
                    &mut taken,
                    &ascii_part(&name).replacen('-', ".", 1),
                    &format!("caseboard{suffix}.example"),
                );
                let mut skills: Vec<String> = Vec::new();
                for product in ALL_PRODUCTS {
                    if dice.chance(0.4) {
                        skills.push(product.to_string());
                    }
                }
                if skills.is_empty() {
                    skills.push(ALL_PRODUCTS[n % ALL_PRODUCTS.len()].to_string());
                }
                let hours = BusinessCalendar::office_hours(zone);
                let schedule = hours.schedule()?;
                let mut languages = vec!["en"];
                if other_language != "en" {
                    languages.push(other_language);
                }
                engineers.push(Engineer {
                    id: user_id,
                    name,
                    email,
                    time_zone: zone,
                    skills,
                    languages,
                    hours,
                    schedule,
                    lead: k == 0,
                });
                user_id += 1;
            }
        }
        let mut weights = Vec::with_capacity(customers.len());
        let mut total = 0.0;
        for i in 0..customers.len() {
            total += 1.0 / (1.0 + i as f64 * 0.05);
            weights.push(total);
        }
        Ok(Roster { customers, engineers, weights })
    }

    /// A customer for the next case: the first organizations open the most cases.
    pub fn pick_customer(&self, dice: &mut Dice) -> &Customer {
        let total = self.weights.last().copied().unwrap_or(1.0);
        let x = dice.unit() * total;
        let i = self.weights.partition_point(|w| *w <= x).min(self.customers.len() - 1);
        &self.customers[i]
    }

    pub fn contacts(&self) -> usize {
        self.customers.iter().map(|c| c.contacts.len()).sum()
    }

    /// Writes everyone: organizations, contracts, products, users and engineer profiles.
    pub async fn write(&self, load: &mut BulkLoad, next: &NextIds, password_hash: &str) -> Result<(), AppError> {
        use Cell::{Int, MaybeInt, MaybeText, Text, Word};
        let mut organizations = RowsFor::new("organizations", &["id", "slug", "name", "plan", "created_at"], 100);
        let mut contracts = RowsFor::new(
            "contract_changes",
            &["id", "organization_id", "effective_at", "plan", "calendar", "changed_by"],
            100,
        );
        let mut products =
            RowsFor::new("products", &["id", "organization_id", "name", "latest_version", "supported_majors"], 100);
        let user_columns: &'static [&'static str] = &[
            "id",
            "email",
            "name",
            "role",
            "organization_id",
            "org_admin",
            "password_hash",
            "time_zone",
            "created_at",
            "language",
            "opens_cases",
        ];
        let mut users = RowsFor::new("users", user_columns, 200);
        let mut profiles = RowsFor::new("engineer_profiles", &["user_id", "skills", "languages", "hours", "lead"], 100);
        let mut contract_id = next.contract_change;
        let mut product_id = next.product;
        for customer in &self.customers {
            let first = customer.contract.plan();
            let latest = customer.upgrade.as_ref().map_or(first, |(_, plan)| plan);
            organizations.push(vec![
                Int(customer.id),
                Text(customer.slug.clone()),
                Text(customer.name.clone()),
                Text(latest.id.clone()),
                Text(customer.created_at.to_string()),
            ]);
            let calendar = json(customer.contract.calendar())?;
            let mut changes = vec![(customer.created_at, first)];
            if let Some((at, plan)) = &customer.upgrade {
                changes.push((*at, plan));
            }
            for (at, plan) in changes {
                contracts.push(vec![
                    Int(contract_id),
                    Int(customer.id),
                    Text(at.to_string()),
                    Text(json(plan)?),
                    Text(calendar.clone()),
                    MaybeInt(None),
                ]);
                contract_id += 1;
            }
            for (name, latest) in &customer.products {
                products.push(vec![
                    Int(product_id),
                    Int(customer.id),
                    Word(name),
                    Word(latest),
                    Int(i64::from(crate::domain::product::DEFAULT_SUPPORTED_MAJORS)),
                ]);
                product_id += 1;
            }
            for (k, contact) in customer.contacts.iter().enumerate() {
                users.push(vec![
                    Int(contact.id),
                    Text(contact.email.clone()),
                    Text(contact.name.clone()),
                    Word("customer"),
                    MaybeInt(Some(customer.id)),
                    Int(i64::from(k == 0)),
                    Text(password_hash.to_string()),
                    MaybeText(None),
                    Text(customer.created_at.to_string()),
                    Word(contact.language),
                    Int(i64::from(customer.openers.contains(&k))),
                ]);
            }
        }
        for engineer in &self.engineers {
            users.push(vec![
                Int(engineer.id),
                Text(engineer.email.clone()),
                Text(engineer.name.clone()),
                Word("engineer"),
                MaybeInt(None),
                Int(0),
                Text(password_hash.to_string()),
                MaybeText(Some(engineer.time_zone.to_string())),
                Text(self.customers[0].created_at.to_string()),
                Word(engineer.languages[0]),
                Int(1),
            ]);
            profiles.push(vec![
                Int(engineer.id),
                Text(json(&engineer.skills)?),
                Text(json(&engineer.languages)?),
                Text(json(&engineer.hours)?),
                Int(i64::from(engineer.lead)),
            ]);
        }
        load.write(&mut organizations, true).await?;
        load.write(&mut contracts, true).await?;
        load.write(&mut products, true).await?;
        load.write(&mut users, true).await?;
        load.write(&mut profiles, true).await?;
        Ok(())
    }
}

/// JSON as the store writes it.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| AppError::Internal)
}
