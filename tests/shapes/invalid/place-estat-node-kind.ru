# A place whose e-Stat link is a string.
# expect: Violation shapes:PlaceLinksShape-estat sh:NodeKindConstraintComponent id:city/kita
# expect: Violation shapes:PlaceLinksShape-estat sh:PatternConstraintComponent id:city/kita
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE DATA { <https://w3id.org/seirei/id/city/kita> <https://w3id.org/seirei/ontology#standardAreaCode> <http://data.e-stat.go.jp/lod/sac/C01100> } ;
INSERT DATA { <https://w3id.org/seirei/id/city/kita> <https://w3id.org/seirei/ontology#standardAreaCode> "C01100" }
