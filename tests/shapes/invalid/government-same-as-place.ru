# A city government declared the same as its city's Wikidata item.
# expect: Violation shapes:CityGovernmentShape-notThePlace sh:MaxCountConstraintComponent id:government/kita
# expect: Violation shapes:WikidataItemShape-once sh:MaxCountConstraintComponent <http://www.wikidata.org/entity/Q37951>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA { <https://w3id.org/seirei/id/government/kita> owl:sameAs <http://www.wikidata.org/entity/Q37951> }
