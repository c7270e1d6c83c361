# A city built from two curated rows.
# expect: Violation shapes:SourceRowShape-row sh:MaxCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:3" .
}
