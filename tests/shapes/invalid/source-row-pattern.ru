# A curated row reference with line 0.
# expect: Violation shapes:SourceRowShape-row sh:PatternConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:2" }
INSERT { <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:0" }
WHERE { <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:2" }
