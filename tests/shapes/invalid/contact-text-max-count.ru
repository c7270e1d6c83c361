# A contact value with two source texts.
# expect: Violation shapes:ContactValueShape-text sh:MaxCountConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai @ kita.example.org" .
}
