# The prefecture linked to the city's Wikidata item: two resources, one item.
# expect: Violation shapes:WikidataItemShape-once sh:MaxCountConstraintComponent <http://www.wikidata.org/entity/Q37951>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE DATA { <https://w3id.org/seirei/id/prefecture/minami> owl:sameAs <http://www.wikidata.org/entity/Q1037393> } ;
INSERT DATA { <https://w3id.org/seirei/id/prefecture/minami> owl:sameAs <http://www.wikidata.org/entity/Q37951> }
