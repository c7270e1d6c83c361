# A place whose unconfirmed link is a string.
# expect: Violation shapes:PlaceLinksShape-unconfirmed sh:NodeKindConstraintComponent id:city/kita
# expect: Violation shapes:PlaceLinksShape-unconfirmed sh:PatternConstraintComponent id:city/kita
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA { <https://w3id.org/seirei/id/city/kita> rdfs:seeAlso "Q37951" }
