# A contact value whose kind is not URL or e-mail.
# expect: Violation shapes:ContactValueShape-kind sh:InConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:contactKind <https://w3id.org/seirei/vocab/contact-kind/email> }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:contactKind <https://w3id.org/seirei/vocab/verification-status/verified> }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:contactKind <https://w3id.org/seirei/vocab/contact-kind/email> }
