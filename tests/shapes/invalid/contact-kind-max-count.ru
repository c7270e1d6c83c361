# A contact value of two kinds.
# expect: Violation shapes:ContactValueShape-kind sh:MaxCountConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/contact/kita-1-email> seirei:contactKind <https://w3id.org/seirei/vocab/contact-kind/url> .
}
