# A contact value that says twice whether it is truncated.
# expect: Violation shapes:ContactValueShape-truncated sh:MaxCountConstraintComponent id:contact/kita-1-url
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/contact/kita-1-url> seirei:isTruncated true .
}
