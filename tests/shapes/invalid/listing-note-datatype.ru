# A listing note given as a plain string.
# expect: Violation shapes:ListingShape-note sh:DatatypeConstraintComponent id:listing/kita-1
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE { <https://w3id.org/seirei/id/listing/kita-1> skos:note "Classes are run by the association."@en }
INSERT { <https://w3id.org/seirei/id/listing/kita-1> skos:note "Classes are run by the association." }
WHERE { <https://w3id.org/seirei/id/listing/kita-1> skos:note "Classes are run by the association."@en }
