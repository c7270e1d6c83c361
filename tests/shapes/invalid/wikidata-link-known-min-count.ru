# A city whose Wikidata link is not confirmed: only rdfs:seeAlso (a warning).
# expect: Warning shapes:WikidataLinkKnownShape-sameAs sh:MinCountConstraintComponent id:city/kita
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE DATA { <https://w3id.org/seirei/id/city/kita> owl:sameAs <http://www.wikidata.org/entity/Q37951> } ;
INSERT DATA { <https://w3id.org/seirei/id/city/kita> rdfs:seeAlso <http://www.wikidata.org/entity/Q37951> }
