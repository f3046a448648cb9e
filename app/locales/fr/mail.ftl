# Courriels de notification (rendus sur le serveur, dans la langue du destinataire).
# Le sujet d’un courriel de cas suit l’étiquette du cas, `[#1005] `, ajoutée par le code : la
# même dans toutes les langues, pour que les filtres de messagerie fonctionnent. Aucun message
# ne colle « de » ou « d’ » devant un nom d’organisation (l’élision dépend du nom).
# Typographie : espace insécable (U+00A0) avant « : », espace fine insécable (U+202F) avant « ; ! ? % » et dans les guillemets.
mail-greeting = Bonjour { $first },
mail-view-case = Voir le cas : { $url }
mail-view-case-button = Voir le cas { $number }
mail-from-person = { $person } via { $support }
mail-reply-hint = Répondez à ce courriel pour répondre sur le cas (écrivez au-dessus du texte cité). Son adresse de réponse vous est propre : une réponse envoyée à cette adresse n’est acceptée que si elle vient de votre adresse.
mail-footer = Vous recevez ce courriel au sujet du cas { $number } de { $app }. Choisissez les courriels que vous recevez : { $url }
mail-sla-plan = Ce que prévoit votre contrat : { $plan } · { $severity }
mail-sla-clock = { $clock } au plus tard le { $due } : { $target }.
mail-quote-intro = { $actor } a écrit :

mail-case_opened-subject = Ouvert : { $summary }
mail-case_opened-lead = Nous avons bien reçu votre cas { $number }. Rappelez ce numéro lorsque vous nous contactez.
mail-support_replied-subject = Réponse du support : { $summary }
mail-support_replied-lead = { $actor }, du support, a répondu sur votre cas.
mail-feedback-subject = Nous avons besoin de vous : { $summary }
mail-feedback-lead = Le support a besoin d’informations de votre part pour avancer. Répondez à ce courriel ou dans le portail.
mail-feedback-lead-portal = Le support a besoin d’informations de votre part pour avancer. Répondez sur la page du cas, dans le portail.
mail-resolved-subject = Résolu, merci de confirmer : { $summary }
mail-resolved-lead = Le support a résolu ce cas ({ $resolution }). Merci de vérifier : sur la page du cas, choisissez « Oui, c’est résolu », ou « Le problème persiste » en nous indiquant ce qui ne va toujours pas.
mail-closed-subject = Fermé : { $summary }
mail-closed-lead = Ce cas est fermé ({ $resolution }). Merci.
mail-assigned-subject = Cas qui vous est attribué : { $summary }
mail-assigned-lead = Ce cas est désormais le vôtre ({ $organization }, sévérité { $severity }).
mail-taken_over-subject = Repris par { $engineer } : { $summary }
mail-taken_over-lead = { $actor } a confié ce cas à { $engineer } ({ $organization }, sévérité { $severity }). Il ne vous est plus attribué.
mail-taken_over-lead-self = { $engineer } a repris ce cas ({ $organization }, sévérité { $severity }). Il ne vous est plus attribué.
mail-customer_replied-subject = Réponse du client : { $summary }
mail-customer_replied-lead = { $actor } ({ $organization }) a répondu sur le cas.
mail-sla_warning-subject = Alerte SLA : { $summary }
mail-sla_warning-lead = Plus de 80 % du délai « { $clock } » de ce cas est écoulé ({ $organization }, sévérité { $severity }).
mail-sla_breached-subject = SLA dépassé : { $summary }
mail-sla_breached-lead = Le délai « { $clock } » de ce cas est dépassé ({ $organization }, sévérité { $severity }).
mail-severity_raise_requested-subject = Demande de relèvement de la sévérité : { $summary }
mail-severity_raise_requested-lead = { $actor } ({ $organization }) demande de faire passer ce cas de la sévérité { $severity } à { $to }, avec ce motif :
mail-severity_changed-subject = Sévérité modifiée : { $summary }
mail-severity_changed-lead = { $actor } a changé la sévérité de votre cas de { $from } à { $to }.
mail-bounce-subject = Votre courriel n’a pas été ajouté à un cas
mail-bounce-lead = Un courriel envoyé depuis votre adresse n’a pu être ajouté à aucun cas, et rien n’a été modifié : { $reason }
mail-bounce-not-participant = vous ne participez pas à ce cas.
mail-bounce-no-thread = il ne répond à aucun courriel de Caseboard que nous puissions vérifier. Répondez à un courriel de notification, ou écrivez dans le portail.
mail-bounce-empty = il ne contient aucun texte une fois l’historique cité retiré.
mail-bounce-intake-off = votre organisation n’ouvre pas de cas par courriel. Merci d’utiliser le portail.
mail-bounce-not-you = Si vous ne l’avez pas envoyé, vous n’avez rien à faire : quelqu’un d’autre a peut-être utilisé votre adresse.
mail-bounce-too-long = son texte dépasse la longueur maximale d’une réponse. Raccourcissez-le, ou écrivez dans le portail.
mail-bounce-not-your-address = il a été envoyé à une adresse de réponse attribuée à une autre personne. Chaque adresse de réponse appartient à la personne qui a reçu la notification : répondez à une notification que vous avez reçue vous-même, ou écrivez dans le portail.
mail-bounce-outdated-address = il a été envoyé à une adresse de réponse d’un ancien type, qui n’est plus acceptée. Répondez à la dernière notification reçue pour ce cas, ou écrivez dans le portail.
mail-bounce-invalid = il ne peut pas donner lieu à un cas tel qu’il est rédigé. Merci d’utiliser le portail.
mail-invitation-subject = { $inviter } vous invite à rejoindre l’espace support de l’organisation { $organization } sur { $app }
mail-invitation-lead = { $inviter } vous a ajouté comme contact de l’organisation { $organization } : vous pouvez suivre les cas de support de votre organisation et y répondre.
mail-invitation-link = Choisissez votre mot de passe ici (le lien fonctionne une fois, jusqu’au { $expires }) : { $url }
mail-invitation-existing-subject = { $inviter } a tenté de vous ajouter à { $organization } sur { $app }
mail-invitation-existing-lead = { $inviter } a tenté d’ajouter votre adresse comme contact de l’organisation { $organization }, mais elle a déjà un compte ici. Rien n’a changé : votre compte, votre organisation et vos cas restent tels quels.
mail-invitation-existing-next = Si vous vous y attendiez, demandez à { $inviter } ou à notre équipe de support de déplacer votre compte ; sinon, vous n’avez rien à faire.
mail-password-reset-subject = Choisissez un nouveau mot de passe pour { $app }
mail-password-reset-lead = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte sur { $app }. Si c’était vous, choisissez un nouveau mot de passe avec le lien ci-dessous : il fonctionne une fois, pendant une heure. Le choisir vous déconnecte partout, et vos jetons d’API cessent de fonctionner.
mail-password-reset-button = Choisir un nouveau mot de passe
mail-password-reset-link = Choisissez un nouveau mot de passe ici : { $url }
mail-password-reset-not-you = Si vous n’avez rien demandé, vous n’avez rien à faire : votre mot de passe reste le même.

## Registration
mail-registration-hello = Bonjour,
mail-registration-verify-subject = Confirmez votre demande de compte sur { $app }
mail-registration-verify-lead = Quelqu’un a demandé un compte sur { $app } avec cette adresse. Si c’était vous, confirmez la demande avec le lien ci-dessous : il fonctionne une fois, pendant 24 heures. Notre équipe l’examine ensuite et vous répond dans tous les cas.
mail-registration-verify-button = Confirmer ma demande
mail-registration-verify-link = Confirmez votre demande ici : { $url }
mail-registration-verify-not-you = Si vous n’avez rien demandé, vous n’avez rien à faire : une demande non confirmée ne va pas plus loin.
mail-registration-existing-subject = Vous avez déjà un compte sur { $app }
mail-registration-existing-lead = Quelqu’un a demandé un nouveau compte sur { $app } avec votre adresse, mais elle en a déjà un. Rien n’a changé.
mail-registration-existing-next = Connectez-vous ici : { $sign_in } — si vous avez oublié votre mot de passe, choisissez-en un nouveau ici : { $reset }
mail-registration-existing-not-you = Si vous n’avez rien demandé, vous n’avez rien à faire.
mail-registration-approved-subject = Votre compte sur { $app } est prêt
mail-registration-approved-lead = Votre demande est approuvée : votre compte appartient à l’organisation { $organization }. Choisissez votre mot de passe avec le lien ci-dessous (il fonctionne une fois, jusqu’au { $expires }) ; connectez-vous ensuite.
mail-registration-approved-button = Choisir mon mot de passe
mail-registration-approved-link = Choisissez votre mot de passe ici : { $url }
mail-registration-rejected-subject = Votre demande de compte sur { $app }
mail-registration-rejected-lead = Notre équipe a examiné votre demande de compte sur { $app } et ne peut pas l’approuver. Le motif donné :
mail-registration-rejected-next = Si votre situation a changé, vous pouvez refaire une demande avec plus de détails.

## Banque d’heures d’expertise
mail-hours-warning-subject = { $organization } : 80 % des heures d’expertise du mois utilisées
mail-hours-warning-lead = Le support a utilisé 80 % des { $granted } d’expertise comprises ce mois-ci dans votre forfait (en dernier sur le cas n° { $case }) ; il en reste { $remaining }. Le temps au-delà de vos heures est enregistré en dépassement.
mail-hours-exhausted-subject = { $organization } : les heures d’expertise du mois sont épuisées
mail-hours-exhausted-lead = Le support a utilisé toutes les { $granted } d’expertise comprises ce mois-ci dans votre forfait (en dernier sur le cas n° { $case }). L’expertise supplémentaire est enregistrée en dépassement, sauf si un pack la couvre.
mail-hours-button = Voir vos heures d’expertise
mail-hours-link = Voyez vos heures d’expertise ici : { $url }
