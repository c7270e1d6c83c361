# A listing about no city.
# expect: Violation shapes:ListingShape-city sh:MinCountConstraintComponent id:listing/kita-1
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE DATA { <https://w3id.org/seirei/id/listing/kita-1> dcterms:spatial <https://w3id.org/seirei/id/city/kita> }
