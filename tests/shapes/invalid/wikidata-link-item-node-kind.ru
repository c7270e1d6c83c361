# A city "same as" a string: not an IRI, nor a Wikidata entity IRI.
# expect: Violation shapes:WikidataLinkShape-item sh:NodeKindConstraintComponent id:city/kita
# expect: Violation shapes:WikidataLinkShape-item sh:PatternConstraintComponent id:city/kita
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE DATA { <https://w3id.org/seirei/id/city/kita> owl:sameAs <http://www.wikidata.org/entity/Q37951> } ;
INSERT DATA { <https://w3id.org/seirei/id/city/kita> owl:sameAs "Q37951" }
