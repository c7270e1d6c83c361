# A place with two e-Stat codes.
# expect: Violation shapes:PlaceLinksShape-estat sh:MaxCountConstraintComponent id:city/kita
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA { <https://w3id.org/seirei/id/city/kita> <https://w3id.org/seirei/ontology#standardAreaCode> <http://data.e-stat.go.jp/lod/sac/C01101> }
