# Notification emails (rendered on the server, in the recipient's language).
# Subjects of case mails follow the case's tag, `[#1005] `, added by the code: the same in
# every language, so mail filters work whatever the recipient's language. No message builds
# a possessive from a name ("Acme Analytics's"): names stand alone.
mail-greeting = Hello { $first },
mail-view-case = See the case: { $url }
mail-view-case-button = View case { $number }
mail-from-person = { $person } via { $support }
mail-reply-hint = Reply to this email to answer on the case (write above the quoted text). Its reply address is yours alone: a reply through it is accepted from your email address only.
mail-footer = You receive this email about case { $number } from { $app }. Choose which emails you get: { $url }
mail-sla-plan = What your plan promises: { $plan } · { $severity }
mail-sla-clock = { $clock } by { $due }: { $target }.
mail-quote-intro = { $actor } wrote:

mail-case_opened-subject = Opened: { $summary }
mail-case_opened-lead = We have received your case { $number }. Quote this number when you contact us.
mail-support_replied-subject = Support replied: { $summary }
mail-support_replied-lead = { $actor } of support replied on your case.
mail-feedback-subject = We need your input: { $summary }
mail-feedback-lead = Support needs information from you to go on. Please answer by replying to this email or in the portal.
mail-feedback-lead-portal = Support needs information from you to go on. Please answer on the case page in the portal.
mail-resolved-subject = Resolved, please confirm: { $summary }
mail-resolved-lead = Support has resolved this case ({ $resolution }). Please check: on the case page, choose “Yes, it's solved”, or “It's still a problem” and tell us what is still wrong.
mail-closed-subject = Closed: { $summary }
mail-closed-lead = This case is closed ({ $resolution }). Thank you.
mail-assigned-subject = Assigned to you: { $summary }
mail-assigned-lead = This case is now yours ({ $organization }, severity { $severity }).
mail-taken_over-subject = Taken over by { $engineer }: { $summary }
mail-taken_over-lead = { $actor } gave this case to { $engineer } ({ $organization }, severity { $severity }). It is no longer assigned to you.
mail-taken_over-lead-self = { $engineer } took this case over ({ $organization }, severity { $severity }). It is no longer assigned to you.
mail-customer_replied-subject = Customer replied: { $summary }
mail-customer_replied-lead = { $actor } ({ $organization }) replied on the case.
mail-sla_warning-subject = SLA warning: { $summary }
mail-sla_warning-lead = Over 80% of the { $clock } time is used on this case ({ $organization }, severity { $severity }).
mail-sla_breached-subject = SLA breached: { $summary }
mail-sla_breached-lead = The { $clock } time of this case has passed unmet ({ $organization }, severity { $severity }).
mail-severity_raise_requested-subject = Severity raise asked: { $summary }
mail-severity_raise_requested-lead = { $actor } ({ $organization }) asks to raise this case from { $severity } to { $to }, saying:
mail-severity_changed-subject = Severity changed: { $summary }
mail-severity_changed-lead = { $actor } changed the severity of your case from { $from } to { $to }.
mail-bounce-subject = Your email was not added to a case
mail-bounce-lead = An email from your address could not be added to a case, and nothing was changed: { $reason }
mail-bounce-not-participant = you are not a participant of this case.
mail-bounce-no-thread = it does not answer a Caseboard email we can verify. Reply to a notification email, or write in the portal.
mail-bounce-empty = it holds no text once the quoted history is removed.
mail-bounce-intake-off = your organization does not open cases by email. Please use the portal.
mail-bounce-not-you = If you did not send it, nothing needs doing: someone else may have used your address.
mail-bounce-too-long = its text is longer than a reply may be. Please shorten it, or write in the portal.
mail-bounce-not-your-address = it was sent to a reply address that was issued to someone else. Each reply address belongs to the person the notification went to: reply to a notification you received yourself, or write in the portal.
mail-bounce-outdated-address = it was sent to a reply address of an earlier kind, which is no longer accepted. Reply to the latest notification you received about the case, or write in the portal.
mail-bounce-invalid = it could not become a case as written. Please use the portal.
mail-invitation-subject = { $inviter } invites you to the support space of { $organization } on { $app }
mail-invitation-lead = { $inviter } added you as a contact of { $organization }: you can follow your organization's support cases and reply to them.
mail-invitation-link = Choose your password here (the link works once, until { $expires }): { $url }
mail-invitation-existing-subject = { $inviter } tried to add you to { $organization } on { $app }
mail-invitation-existing-lead = { $inviter } tried to add your address as a contact of { $organization }, but it already has an account here. Nothing was changed: your account, your organization and your cases stay as they are.
mail-invitation-existing-next = If you expected this, ask { $inviter } or our support team to move your account; if not, nothing needs doing.
mail-password-reset-subject = Choose a new password for { $app }
mail-password-reset-lead = Someone asked to reset the password of your account on { $app }. If it was you, choose a new password with the link below: it works once, within one hour. Choosing it signs you out everywhere, and your API tokens stop working.
mail-password-reset-button = Choose a new password
mail-password-reset-link = Choose a new password here: { $url }
mail-password-reset-not-you = If you did not ask, nothing needs doing: your password stays as it is.

## Registration
mail-registration-hello = Hello,
mail-registration-verify-subject = Confirm your account request on { $app }
mail-registration-verify-lead = Someone asked for an account on { $app } with this address. If it was you, confirm the request with the link below: it works once, within 24 hours. Our team then reviews it and writes to you either way.
mail-registration-verify-button = Confirm my request
mail-registration-verify-link = Confirm your request here: { $url }
mail-registration-verify-not-you = If you did not ask, nothing needs doing: an unconfirmed request goes no further.
mail-registration-existing-subject = You already have an account on { $app }
mail-registration-existing-lead = Someone asked for a new account on { $app } with your address, but it already has one. Nothing was changed.
mail-registration-existing-next = Sign in here: { $sign_in } — if you forgot your password, choose a new one here: { $reset }
mail-registration-existing-not-you = If you did not ask, nothing needs doing.
mail-registration-approved-subject = Your account on { $app } is ready
mail-registration-approved-lead = Your request was approved: your account belongs to { $organization }. Choose your password with the link below (it works once, until { $expires }); then sign in.
mail-registration-approved-button = Choose my password
mail-registration-approved-link = Choose your password here: { $url }
mail-registration-rejected-subject = Your account request on { $app }
mail-registration-rejected-lead = Our team reviewed your request for an account on { $app } and cannot approve it. The reason they gave:
mail-registration-rejected-next = If something has changed, you may ask again with more details.

## Expertise-hour bank
mail-hours-warning-subject = { $organization }: 80% of this month’s expertise hours used
mail-hours-warning-lead = Support has used 80% of the { $granted } of expertise your plan includes this month (last on case #{ $case }); { $remaining } are left. Time beyond the hours you have is recorded as overage.
mail-hours-exhausted-subject = { $organization }: this month’s expertise hours are used up
mail-hours-exhausted-lead = Support has used all { $granted } of expertise your plan includes this month (last on case #{ $case }). Further expertise is recorded as overage unless a pack covers it.
mail-hours-button = See your expertise hours
mail-hours-link = See your expertise hours here: { $url }
