# A web resource without a title.
# expect: Violation shapes:WebPageShape-title sh:MinCountConstraintComponent id:web-resource/kita-living
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE DATA { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:title "Living information"@en }
