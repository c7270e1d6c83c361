# A contact value without a kind.
# expect: Violation shapes:ContactValueShape-kind sh:MinCountConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:contactKind <https://w3id.org/seirei/vocab/contact-kind/email> }
